package io.rxon.orchestrator.blob;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.rxon.blob.s3.S3BlobPresigner;
import io.rxon.blob.s3.S3BlobStore;
import io.rxon.blob.s3.S3Config;
import io.rxon.blob.s3.S3Settings;
import io.rxon.common.blob.BlobStore;
import io.rxon.common.blob.LocalDirectoryBlobStore;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The orchestrator's blob store, chosen once from configuration: S3 (any S3-compatible endpoint)
 * as soon as {@code RXON_S3_ENDPOINT} or {@code RXON_S3_BUCKET} is set, else the local directory
 * {@code <data dir>/blobs} (the embedded default). Presigned URLs and the claim check need S3:
 * only a shared store lets clients and workers on other machines reach the same blobs.
 */
// Built at start, so that a wrong S3 configuration stops the orchestrator at once rather than at first use.
@Startup
@ApplicationScoped
public class BlobStorage {

    private final BlobStore store;
    private final String bucket;
    private final Optional<S3BlobPresigner> presigner;
    private final Optional<String> configHash;

    public BlobStorage(OrchestratorConfig config) {
        OrchestratorConfig.S3 s3 = config.s3();
        if (s3.endpoint().isPresent() || s3.bucket().filter(b -> !b.isBlank()).isPresent()) {
            S3Settings settings = settings(s3);
            this.store = new S3BlobStore(settings, Infrastructure.getDefaultWorkerPool());
            this.bucket = settings.bucket();
            this.presigner = Optional.of(new S3BlobPresigner(settings));
            this.configHash = settings.configHash();
            Log.infof("blobs on S3: bucket %s at %s (path-style %s)", bucket,
                    settings.endpoint().map(Object::toString).orElse("AWS " + settings.region()), settings.pathStyle());
        } else {
            this.store = new LocalDirectoryBlobStore(config.dataDir().resolve("blobs"),
                    Infrastructure.getDefaultWorkerPool());
            this.bucket = config.blob().localBucket();
            this.presigner = Optional.empty();
            this.configHash = Optional.empty();
            Log.infof("blobs in the local directory %s (set RXON_S3_ENDPOINT / RXON_S3_BUCKET for S3)",
                    config.dataDir().resolve("blobs").toAbsolutePath());
        }
    }

    /** The worker builds its settings from the same keys (S3Config), so both compute the same config hash. */
    static S3Settings settings(OrchestratorConfig.S3 s3) {
        return S3Config.settings(s3, s3.presignEndpoint(), "the orchestrator needs a bucket for its blobs")
                .orElseThrow(() -> new IllegalArgumentException("S3 is not configured (RXON_S3_ENDPOINT, RXON_S3_BUCKET)"));
    }

    public BlobStore store() {
        return store;
    }

    /** The bucket of every job's blobs. */
    public String bucket() {
        return bucket;
    }

    /** Whether blobs are on S3, reachable by clients and workers elsewhere. */
    public boolean shared() {
        return presigner.isPresent();
    }

    public Optional<S3BlobPresigner> presigner() {
        return presigner;
    }

    /** This orchestrator's {@code s3_config_hash}; empty without S3 or with chain credentials. */
    public Optional<String> configHash() {
        return configHash;
    }

    @PreDestroy
    void close() {
        if (store instanceof S3BlobStore s3) {
            s3.close();
        }
        presigner.ifPresent(S3BlobPresigner::close);
    }
}
