package io.rxon.bench;

import io.rxon.blob.s3.S3Clients;
import io.rxon.blob.s3.S3Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The S3 server of the blob scenario: s3proxy (the server of the services' tests) in the benchmark
 * process on 127.0.0.1, a free port, with its filesystem backend in a fresh directory, so that
 * 256 MB blobs cost disk and page cache rather than heap. Orchestrator, worker and the raw
 * transfers all talk to this one server.
 */
final class S3Server implements AutoCloseable {

    static final String ACCESS_KEY = "rxon-bench-access";
    static final String SECRET_KEY = "rxon-bench-secret-key";
    static final String BUCKET = "rxon-bench";

    private final S3Proxy proxy;
    private final Path directory;
    private final URI endpoint;

    private S3Server(S3Proxy proxy, Path directory, URI endpoint) {
        this.proxy = proxy;
        this.directory = directory;
        this.endpoint = endpoint;
    }

    /** Starts a server storing under {@code directory} (emptied first) with the bucket {@link #BUCKET}. */
    static S3Server start(Path directory) throws Exception {
        Target.deleteRecursively(directory);
        Files.createDirectories(directory);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", properties))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        S3Server server = new S3Server(proxy, directory, URI.create("http://127.0.0.1:" + proxy.getPort()));
        try (S3AsyncClient client = S3Clients.asyncClient(server.settings())) {
            client.createBucket(create -> create.bucket(BUCKET)).join();
        }
        return server;
    }

    S3Settings settings() {
        return S3Settings.of(endpoint, BUCKET, ACCESS_KEY, SECRET_KEY);
    }

    /** The variables that point orchestrator and worker at this server (docs/BLOBS.md). */
    Map<String, String> environment() {
        return Map.of("RXON_S3_ENDPOINT", endpoint.toString(), "RXON_S3_BUCKET", BUCKET,
                "RXON_S3_ACCESS_KEY", ACCESS_KEY, "RXON_S3_SECRET_KEY", SECRET_KEY);
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            Bench.log("s3proxy did not stop cleanly: %s", e);
        }
        Target.deleteRecursively(directory);
    }
}
