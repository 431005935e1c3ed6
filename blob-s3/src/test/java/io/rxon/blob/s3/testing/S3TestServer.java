package io.rxon.blob.s3.testing;

import io.rxon.blob.s3.S3Clients;
import io.rxon.blob.s3.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * A real S3 server for tests: s3proxy in-process on 127.0.0.1 (a free port), storing objects in a
 * temporary directory under {@code target/} so that 200 MB blobs cost disk, not heap. Started once
 * per JVM ({@link #shared()}) and stopped by a shutdown hook; tests create the buckets they need.
 * It exists because there is no Docker here (DESIGN.md, "Test infrastructure").
 */
public final class S3TestServer {

    public static final String ACCESS_KEY = "rxon-test-access";
    public static final String SECRET_KEY = "rxon-test-secret-key";
    public static final String BUCKET = "rxon-test";

    private static S3TestServer shared;

    private final S3Proxy proxy;
    private final Path directory;
    private final URI endpoint;

    private S3TestServer(S3Proxy proxy, Path directory, URI endpoint) {
        this.proxy = proxy;
        this.directory = directory;
        this.endpoint = endpoint;
    }

    /** The one server of this JVM, started on first use with the bucket {@link #BUCKET}. */
    public static synchronized S3TestServer shared() {
        if (shared == null) {
            shared = start();
            shared.createBucket(BUCKET);
            S3TestServer started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "s3proxy-test-shutdown"));
        }
        return shared;
    }

    private static S3TestServer start() {
        try {
            Path root = Files.createDirectories(Path.of("target", "s3proxy").toAbsolutePath());
            Path directory = Files.createTempDirectory(root, "store-");
            Properties properties = new Properties();
            properties.setProperty("jclouds.filesystem.basedir", directory.toString());
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
            return new S3TestServer(proxy, directory, URI.create("http://127.0.0.1:" + proxy.getPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not start s3proxy", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Settings for this server and {@link #BUCKET}. */
    public S3Settings settings() {
        return S3Settings.of(endpoint, BUCKET, ACCESS_KEY, SECRET_KEY);
    }

    public void createBucket(String bucket) {
        try (S3AsyncClient client = S3Clients.asyncClient(settings())) {
            client.createBucket(create -> create.bucket(bucket)).join();
        }
    }

    /** Where the server keeps objects: {@code <directory>/<bucket>/<key>} (tests corrupt blobs there). */
    public Path directory() {
        return directory;
    }

    private void stop() {
        try {
            proxy.stop();
        } catch (Exception e) {
            // the JVM is ending; nothing depends on a clean stop
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // leftovers under target/ go with mvn clean
        }
    }
}
