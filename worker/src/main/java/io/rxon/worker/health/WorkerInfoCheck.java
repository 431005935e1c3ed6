package io.rxon.worker.health;

import io.rxon.common.protocol.Protocol;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Reports the protocol version this worker speaks; the connection checks arrive with the worker runtime. */
@Liveness
public class WorkerInfoCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rxon-worker").up().withData("protocol", Protocol.VERSION).build();
    }
}
