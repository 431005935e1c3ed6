package io.rxon.blob.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxon.blob.s3.testing.S3TestServer;
import io.rxon.common.blob.BlobInfo;
import io.rxon.common.blob.BlobStream;
import io.rxon.common.blob.BlobUnavailableException;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.blob.VerifyingInputStream;
import io.rxon.common.error.RxonException;
import io.rxon.common.error.RxonIntegrityException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.FileMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The S3 store against a real S3 server (s3proxy): single and multipart uploads, streams, deletes, failures. */
class S3BlobStoreTest {

    private static S3TestServer server;
    private static S3BlobStore store;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        server = S3TestServer.shared();
        S3Settings settings = new S3Settings(Optional.of(server.endpoint()), "us-east-1", S3TestServer.BUCKET, true,
                Optional.of(S3TestServer.ACCESS_KEY), Optional.of(S3TestServer.SECRET_KEY), Optional.empty(),
                S3Settings.MIN_PART_SIZE, 3, Duration.ofSeconds(5), Duration.ofSeconds(30), 10);
        store = new S3BlobStore(settings, Runnable::run);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static BlobUri uri(String name) {
        return new BlobUri(S3TestServer.BUCKET, "jobs/" + UUID.randomUUID() + "/" + name, false);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] readVerified(BlobUri uri, FileMetadata expected) throws IOException {
        try (InputStream in = VerifyingInputStream.of(store.open(uri).toCompletableFuture().join(), expected)) {
            return in.readAllBytes();
        }
    }

    @Test
    void shouldUploadASmallStreamInOnePutAndReadItBackVerified() throws Exception {
        // given
        byte[] content = "hello blobs".getBytes(StandardCharsets.UTF_8);
        BlobUri uri = uri("small.txt");

        // when
        FileMetadata metadata = store.upload(new ByteArrayInputStream(content), content.length, uri)
                .toCompletableFuture().join();

        // then
        assertThat(metadata.uri()).isEqualTo(uri.toString());
        assertThat(metadata.size()).isEqualTo(content.length);
        assertThat(metadata.etag()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest(content)));
        assertThat(metadata.sha256()).isEqualTo(sha256(content));
        assertThat(readVerified(uri, metadata)).isEqualTo(content);
        assertThat(store.metadata(uri).toCompletableFuture().join()).contains(new BlobInfo(content.length,
                metadata.etag(), store.metadata(uri).toCompletableFuture().join().orElseThrow().contentType()));
    }

    @Test
    void shouldUploadAStreamOfUnknownLengthAsMultipartAndVerifyItWhileReading() throws Exception {
        // given: two and a half parts
        byte[] content = random(S3Settings.MIN_PART_SIZE * 2 + S3Settings.MIN_PART_SIZE / 2);
        BlobUri uri = uri("large.bin");

        // when
        FileMetadata metadata = store.upload(new ByteArrayInputStream(content), -1, uri).toCompletableFuture().join();

        // then
        assertThat(metadata.size()).isEqualTo(content.length);
        assertThat(metadata.etag()).endsWith("-3");
        assertThat(metadata.sha256()).isEqualTo(sha256(content));
        try (BlobStream stream = (BlobStream) store.open(uri).toCompletableFuture().join()) {
            assertThat(stream.info().etag()).isEqualTo(metadata.etag());
            assertThat(stream.info().size()).isEqualTo(content.length);
        }
        assertThat(readVerified(uri, metadata)).isEqualTo(content);
    }

    @Test
    void shouldDownloadToAFileAndAnswerFalseForAMissingObject() throws Exception {
        // given
        byte[] content = random(1000);
        BlobUri uri = uri("file.bin");
        Path source = Files.write(temp.resolve("source.bin"), content);
        store.upload(source, uri).toCompletableFuture().join();

        // when
        boolean found = store.download(uri, temp.resolve("out/copy.bin")).toCompletableFuture().join();
        boolean missing = store.download(uri("absent.bin"), temp.resolve("out/absent.bin")).toCompletableFuture().join();

        // then
        assertThat(found).isTrue();
        assertThat(Files.readAllBytes(temp.resolve("out/copy.bin"))).isEqualTo(content);
        assertThat(missing).isFalse();
        assertThat(temp.resolve("out/absent.bin")).doesNotExist();
        assertThat(store.metadata(uri("absent.bin")).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void shouldDeleteEverythingUnderAJobDirectoryAndNothingElse() {
        // given
        String job = UUID.randomUUID().toString();
        BlobUri directory = new BlobUri(S3TestServer.BUCKET, "jobs/" + job + "/", true);
        BlobUri neighbour = new BlobUri(S3TestServer.BUCKET, "jobs/" + job + "-other/keep.txt", false);
        for (String name : new String[] {"a.txt", "nested/b.txt"}) {
            store.upload(new ByteArrayInputStream(new byte[] {1}), 1, directory.resolve(name)).toCompletableFuture()
                    .join();
        }
        store.upload(new ByteArrayInputStream(new byte[] {2}), 1, neighbour).toCompletableFuture().join();

        // when
        boolean deleted = store.deleteDirectory(directory).toCompletableFuture().join();

        // then
        assertThat(deleted).isTrue();
        assertThat(store.metadata(directory.resolve("a.txt")).toCompletableFuture().join()).isEmpty();
        assertThat(store.metadata(directory.resolve("nested/b.txt")).toCompletableFuture().join()).isEmpty();
        assertThat(store.metadata(neighbour).toCompletableFuture().join()).isPresent();
        assertThat(store.deleteDirectory(directory).toCompletableFuture().join()).isFalse();
    }

    @Test
    void shouldAbortAnUploadWhoseStreamIsShorterThanDeclaredAndLeaveNoObject() {
        // given: declared 12 MiB, delivers 7 MiB (a multipart upload that must not be completed)
        byte[] content = random(7 * 1024 * 1024);
        BlobUri uri = uri("truncated.bin");

        // when / then
        assertThatThrownBy(() -> store.upload(new ByteArrayInputStream(content), 12L * 1024 * 1024, uri)
                .toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(RxonException.class)
                .satisfies(error -> assertThat(((RxonException) error).code())
                        .isEqualTo(ErrorCode.INTEGRITY_MISMATCH_ERROR));
        assertThat(store.metadata(uri).toCompletableFuture().join()).isEmpty();
        try (S3AsyncClient client = S3Clients.asyncClient(server.settings())) {
            assertThat(client.listMultipartUploads(list -> list.bucket(S3TestServer.BUCKET).prefix(uri.key())).join()
                    .uploads()).isEmpty();
        }
    }

    @Test
    void shouldReportAReplacedObjectAsAnIntegrityMismatchWhenItIsRead() throws Exception {
        // given: the metadata of the original, then the object is overwritten with other bytes of the same size
        BlobUri uri = uri("replaced.bin");
        FileMetadata original = store.upload(new ByteArrayInputStream(random(4096)), 4096, uri).toCompletableFuture()
                .join();
        byte[] other = random(4096);
        other[0]++;
        store.upload(new ByteArrayInputStream(other), 4096, uri).toCompletableFuture().join();

        // when / then
        assertThatThrownBy(() -> readVerified(uri, original))
                .isInstanceOf(RxonIntegrityException.class)
                .hasMessageContaining(uri.toString());
    }

    @Test
    void shouldReportAnUnreachableStoreAsUnavailableAfterBoundedRetries() throws Exception {
        // given: a port nobody listens on
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        S3Settings down = server.settings().withEndpoint(URI.create("http://127.0.0.1:" + port));
        long started = System.nanoTime();

        // when / then
        try (S3BlobStore unreachable = new S3BlobStore(down, Runnable::run)) {
            assertThatThrownBy(() -> unreachable.upload(new ByteArrayInputStream(new byte[10]), 10, uri("x.bin"))
                    .toCompletableFuture().join())
                    .cause().isInstanceOf(BlobUnavailableException.class)
                    .satisfies(error -> assertThat(((RxonException) error).code()).isEqualTo(ErrorCode.TRANSIENT_ERROR));
            assertThatThrownBy(() -> unreachable.open(uri("x.bin")).toCompletableFuture().join())
                    .cause().isInstanceOf(BlobUnavailableException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void shouldReportRefusedCredentialsAsADependencyError() {
        // given
        S3Settings wrong = new S3Settings(Optional.of(server.endpoint()), "us-east-1", S3TestServer.BUCKET, true,
                Optional.of(S3TestServer.ACCESS_KEY), Optional.of("not-the-secret"), Optional.empty(),
                S3Settings.DEFAULT_PART_SIZE, 3, Duration.ofSeconds(5), Duration.ofSeconds(30), 10);

        // when / then
        try (S3BlobStore refused = new S3BlobStore(wrong, Runnable::run)) {
            assertThatThrownBy(() -> refused.upload(new ByteArrayInputStream(new byte[10]), 10, uri("x.bin"))
                    .toCompletableFuture().join())
                    .cause().isInstanceOf(RxonException.class)
                    .satisfies(error -> assertThat(((RxonException) error).code()).isEqualTo(ErrorCode.DEPENDENCY_ERROR));
        }
    }

    @Test
    void shouldPresignUrlsThatAPlainHttpClientCanUseWithinTheirSizeAndLifetime() throws Exception {
        // given
        byte[] content = random(100_000);
        BlobUri uri = uri("presigned.bin");
        HttpClient http = HttpClient.newHttpClient();
        try (S3BlobPresigner presigner = new S3BlobPresigner(server.settings())) {
            S3BlobPresigner.PresignedUrl put = presigner.put(uri, Duration.ofMinutes(5), (long) content.length,
                    "application/octet-stream");

            // when
            HttpRequest.Builder upload = HttpRequest.newBuilder(put.url().toURI())
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
            put.headers().forEach((name, value) -> {
                if (!name.equalsIgnoreCase("content-length")) {
                    upload.header(name, value);
                }
            });
            int putStatus = http.send(upload.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            S3BlobPresigner.PresignedUrl get = presigner.get(uri, Duration.ofMinutes(5), "result.bin");
            HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(get.url().toURI()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            // then
            assertThat(putStatus).isEqualTo(200);
            assertThat(put.expiresAt()).isAfter(java.time.Instant.now().plus(Duration.ofMinutes(4)));
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(content);
        }
    }
}
