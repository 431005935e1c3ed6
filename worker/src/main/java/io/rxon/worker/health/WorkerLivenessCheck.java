package io.rxon.worker.health;

import io.rxon.common.protocol.Protocol;
import io.rxon.worker.runtime.WorkerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Up while the worker's own threads (poll loop, result outbox, timers) are alive: a worker whose
 * loops died can never recover by itself, so Kubernetes should restart it. Losing the
 * orchestrator is not a liveness failure (that is readiness): restarting would not bring it back.
 */
@Liveness
@ApplicationScoped
public class WorkerLivenessCheck implements HealthCheck {

    private final WorkerRuntime runtime;

    public WorkerLivenessCheck(WorkerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rxon-worker")
                .status(runtime.isLive())
                .withData("worker_id", runtime.workerId())
                .withData("protocol", Protocol.VERSION)
                .withData("running_tasks", runtime.executor().running())
                .build();
    }
}
