package io.rxon.orchestrator.health;

import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.db.EmbeddedDatabaseSupervisor;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the database answers, and always within {@link OrchestratorConfig.Database#readinessTimeout()}.
 * It replaces the datasource checks of Quarkus (switched off in {@code application.properties}): the
 * reactive one waits up to 20 s and the JDBC one without bound on a frozen server, so readiness did
 * not answer at all while PostgreSQL was stopped with SIGSTOP. A dead embedded server is reported at
 * once, without a query, while its supervisor restarts it.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {

    static final String NAME = "database";

    private final Pool pool;
    private final Duration timeout;

    public DatabaseReadiness(Pool pool, OrchestratorConfig config) {
        this.pool = pool;
        this.timeout = config.database().readinessTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var restarting = EmbeddedDatabaseSupervisor.active().map(EmbeddedDatabaseSupervisor::health)
                .filter(health -> !health.running());
        if (restarting.isPresent()) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).down()
                    .withData("embedded", "restarting")
                    .withData("down_ms", restarting.get().downFor().toMillis())
                    .build());
        }
        return pool.query("SELECT 1").execute()
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException("no answer within " + timeout))
                .map(rows -> HealthCheckResponse.named(NAME).up().build())
                .onFailure().recoverWithItem(error -> HealthCheckResponse.named(NAME).down()
                        .withData("error", String.valueOf(error.getMessage()))
                        .build());
    }
}
