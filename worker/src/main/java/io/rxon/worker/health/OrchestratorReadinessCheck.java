package io.rxon.worker.health;

import io.rxon.worker.runtime.WorkerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Up only while the worker is registered and has heard from the orchestrator recently (and is not
 * draining), so dashboards and rollouts see a worker that cannot get work as not ready.
 */
@Readiness
@ApplicationScoped
public class OrchestratorReadinessCheck implements HealthCheck {

    private final WorkerRuntime runtime;

    public OrchestratorReadinessCheck(WorkerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("rxon-orchestrator-connection")
                .status(runtime.isReady())
                .withData("registered", runtime.connection().isRegistered())
                .withData("draining", runtime.isDraining())
                .withData("socket_open", runtime.isSocketOpen())
                .withData("push_dispatch_active", runtime.isPushActive())
                .withData("pending_results", runtime.outbox().pending());
        runtime.lastContact().ifPresent(last -> response.withData("last_contact", last.toString()));
        return response.build();
    }
}
