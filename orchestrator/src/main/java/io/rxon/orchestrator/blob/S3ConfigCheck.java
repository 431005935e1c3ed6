package io.rxon.orchestrator.blob;

import io.quarkus.logging.Log;
import io.rxon.common.protocol.WorkerRegistration;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Compares a worker's {@code capabilities.s3_config_hash} with the orchestrator's own (PROTOCOL.md
 * §8): a mismatch means the worker reads and writes another store or bucket than the orchestrator
 * and its clients, so blob references would not resolve. As in the reference it is reported, not
 * refused: a warning at registration and {@code s3_config_match: false} in {@code /api/v1/workers}.
 */
@ApplicationScoped
public class S3ConfigCheck {

    private final BlobStorage storage;

    public S3ConfigCheck(BlobStorage storage) {
        this.storage = storage;
    }

    /** Empty when either side has no hash (no S3, or credentials from the AWS chain). */
    public Optional<Boolean> matches(WorkerRegistration registration) {
        String theirs = registration.capabilities() == null ? null : registration.capabilities().s3ConfigHash();
        if (theirs == null || storage.configHash().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(theirs.equals(storage.configHash().get()));
    }

    /** Logs a clear warning when the worker's S3 configuration differs from ours. */
    public void warnOnMismatch(WorkerRegistration registration) {
        if (matches(registration).filter(match -> !match).isPresent()) {
            Log.warnf("worker %s uses another S3 configuration (s3_config_hash %s, orchestrator %s): it will not find "
                    + "the blobs of its tasks; give it the same RXON_S3_ENDPOINT, RXON_S3_ACCESS_KEY and "
                    + "RXON_S3_BUCKET", registration.workerId(), registration.capabilities().s3ConfigHash(),
                    storage.configHash().orElseThrow());
        }
    }
}
