package io.rxon.worker.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.blob.s3.S3BlobPresigner;
import io.rxon.blob.s3.S3BlobStore;
import io.rxon.blob.s3.testing.S3TestServer;
import io.rxon.common.blob.BlobInfo;
import io.rxon.common.blob.BlobKeys;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.json.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MB input, uploaded by a client through a presigned URL and hashed by the worker's
 * {@code sha256} skill in a JVM whose heap is limited to 64 MB: the blob path streams both ways, so
 * memory does not grow with blob size (a buffering implementation would fail with
 * {@link OutOfMemoryError}). The child JVM reports its peak heap, which the test bounds as well.
 */
class LargeBlobMemoryTest {

    private static final long SIZE = 200L * 1024 * 1024;
    private static final int HEAP_MB = 64;

    @TempDir
    Path temp;

    @Test
    void shouldHashA200MegabyteBlobFromAPresignedUploadWithA64MegabyteHeap() throws Exception {
        // given: the client streams 200 MB to a presigned PUT URL (nothing of it is held in memory)
        S3TestServer server = S3TestServer.shared();
        BlobUri uri = BlobKeys.directory(S3TestServer.BUCKET, "upload-" + UUID.randomUUID()).resolve("large.bin");
        try (S3BlobPresigner presigner = new S3BlobPresigner(server.settings());
                S3BlobStore store = new S3BlobStore(server.settings(), Runnable::run)) {
            S3BlobPresigner.PresignedUrl put = presigner.put(uri, Duration.ofMinutes(15), SIZE,
                    "application/octet-stream");
            HttpRequest.Builder request = HttpRequest.newBuilder(put.url().toURI()).PUT(HttpRequest.BodyPublishers
                    .fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(SIZE)), SIZE));
            put.headers().forEach((name, value) -> {
                if (!name.equalsIgnoreCase("content-length")) {
                    request.header(name, value);
                }
            });
            int status = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            assertThat(status).isEqualTo(200);
            BlobInfo stored = store.metadata(uri).toCompletableFuture().join().orElseThrow();
            assertThat(stored.size()).isEqualTo(SIZE);
            String expected = sha256(new PatternStream(SIZE));

            try {
                // when: the worker's sha256 skill runs on it with -Xmx64m
                Map<String, Object> report = runChild(List.of(server.endpoint().toString(), uri.toString(),
                        Long.toString(SIZE), stored.etag(), temp.resolve("tasks").toString()));

                // then
                assertThat(report.get("error")).isNull();
                assertThat(report.get("status")).isEqualTo("success");
                @SuppressWarnings("unchecked")
                Map<String, Object> data = (Map<String, Object>) report.get("data");
                assertThat(data.get("sha256")).isEqualTo(expected);
                assertThat(((Number) data.get("size")).longValue()).isEqualTo(SIZE);
                long maxHeap = ((Number) report.get("max_heap")).longValue();
                long peakHeap = ((Number) report.get("peak_heap")).longValue();
                assertThat(maxHeap).isLessThanOrEqualTo(HEAP_MB * 1024L * 1024);
                assertThat(peakHeap).isLessThan(SIZE / 4);
                System.out.printf("200 MB blob hashed with -Xmx%dm: max heap %d MB, peak heap %.1f MB, heap after GC %.1f MB%n",
                        HEAP_MB, maxHeap >> 20, peakHeap / 1048576.0,
                        ((Number) report.get("heap_after_gc")).longValue() / 1048576.0);
            } finally {
                store.delete(uri).toCompletableFuture().join();
            }
        }
    }

    private Map<String, Object> runChild(List<String> args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-Xmx" + HEAP_MB + "m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), LargeBlobChild.class.getName()));
        command.addAll(args);
        Path log = temp.resolve("child.log");
        Process child = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String resultLine = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    resultLine = line.substring("RESULT ".length());
                }
            }
        }
        boolean ended = child.waitFor(2, TimeUnit.MINUTES);
        if (!ended) {
            child.destroyForcibly();
        }
        assertThat(resultLine).as("child output; its log: %s", Files.exists(log) ? tail(log) : "none").isNotNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> report = Json.read(resultLine, Map.class);
        return report;
    }

    private static String tail(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        for (int read; (read = in.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, read);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** {@code size} deterministic, non-repeating-looking bytes, generated on the fly. */
    static final class PatternStream extends InputStream {
        private final long size;
        private long position;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int count = (int) Math.min(length, size - position);
            for (int i = 0; i < count; i++) {
                long p = position + i;
                buffer[offset + i] = (byte) (p * 2654435761L >>> 13 ^ p >>> 20);
            }
            position += count;
            return count;
        }
    }
}
