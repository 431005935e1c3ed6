package io.rxon.orchestrator.testing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.rxon.blob.s3.testing.S3TestServer;
import java.util.Map;

/**
 * A real S3 server (s3proxy on 127.0.0.1, from the blob-s3 test-jar) for every {@code @QuarkusTest} of
 * the module, started once per test run like {@link PostgresTestResource}: registered for the whole
 * module ({@code restrictToAnnotatedClass = false}), so no test restarts Quarkus because of it. Every test
 * therefore runs the orchestrator with S3 blobs, presigned URLs and the claim check switched on.
 */
@QuarkusTestResource(value = S3TestResource.class, restrictToAnnotatedClass = false, parallel = true)
public class S3TestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        S3TestServer server = S3TestServer.shared();
        return Map.of(
                "rxon.orchestrator.s3.endpoint", server.endpoint().toString(),
                "rxon.orchestrator.s3.bucket", S3TestServer.BUCKET,
                "rxon.orchestrator.s3.access-key", S3TestServer.ACCESS_KEY,
                "rxon.orchestrator.s3.secret-key", S3TestServer.SECRET_KEY);
    }

    @Override
    public void stop() {
        // the server is shared by the JVM and stopped by its shutdown hook
    }
}
