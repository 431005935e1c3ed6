package io.rxon.worker.health;

import io.rxon.worker.runtime.OrchestratorLink;
import io.rxon.worker.runtime.RuntimeSettings;
import io.rxon.worker.runtime.WorkerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
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
    private final Duration contactTimeout;

    public OrchestratorReadinessCheck(WorkerRuntime runtime, RuntimeSettings settings) {
        this.runtime = runtime;
        this.contactTimeout = settings.contactTimeout();
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
        response.withData("orchestrators_mode", runtime.mode().wireName());
        List<OrchestratorLink> links = runtime.links();
        for (int i = 0; i < links.size(); i++) {
            OrchestratorLink link = links.get(i);
            String prefix = "orchestrator_" + i + "_";
            response.withData(prefix + "url", link.url())
                    .withData(prefix + "connected", link.connection().isConnected(contactTimeout))
                    .withData(prefix + "tasks_taken", link.tasksTaken());
            link.lastError().ifPresent(error -> response.withData(prefix + "last_error", error));
        }
        return response.build();
    }
}
