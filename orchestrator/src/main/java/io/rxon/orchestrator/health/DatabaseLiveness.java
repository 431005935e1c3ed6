package io.rxon.orchestrator.health;

import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.db.EmbeddedDatabaseSupervisor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive unless the orchestrator cannot get its database back by itself: only an embedded PostgreSQL
 * that has stayed down for {@link OrchestratorConfig.Database#embeddedRecoveryLimit()} despite the
 * supervisor's restarts fails it, so that Kubernetes restarts the pod. A database that is merely
 * unreachable (external, or embedded and being restarted) fails readiness only: restarting the
 * orchestrator would not bring it back.
 */
@Liveness
@ApplicationScoped
public class DatabaseLiveness implements HealthCheck {

    static final String NAME = "embedded-database";

    private final Duration limit;

    public DatabaseLiveness(OrchestratorConfig config) {
        this.limit = config.database().embeddedRecoveryLimit();
    }

    @Override
    public HealthCheckResponse call() {
        return EmbeddedDatabaseSupervisor.active().map(EmbeddedDatabaseSupervisor::health)
                .filter(health -> health.downFor().compareTo(limit) > 0)
                .map(health -> HealthCheckResponse.named(NAME).down()
                        .withData("down_ms", health.downFor().toMillis())
                        .withData("failed_restarts", health.failedRestarts())
                        .build())
                .orElseGet(() -> HealthCheckResponse.named(NAME).up().build());
    }
}
