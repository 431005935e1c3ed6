package io.rxon.orchestrator.db;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates the reactive connection pool as Quarkus would, plus the time limits Quarkus has no settings
 * for ({@link OrchestratorConfig.Database}): a connect timeout, a bound on the wait for a pooled
 * connection and an I/O timeout that closes a connection that hears nothing. Without them a request
 * during a database freeze hung until the freeze ended (12 s were seen) instead of getting a 503 within
 * seconds. The pool reconnects by itself: a closed connection leaves the pool and the next request opens
 * a new one, so an external database or a restarted embedded one is used again as soon as it answers.
 */
@Singleton
public class BoundedPoolCreator implements PgPoolCreator {

    private final OrchestratorConfig.Database limits;

    public BoundedPoolCreator(OrchestratorConfig config) {
        this.limits = config.database();
    }

    @Override
    @SuppressWarnings("deprecation") // Quarkus casts the result to PgPool
    public Pool create(Input input) {
        PoolOptions pool = new PoolOptions(input.poolOptions())
                .setConnectionTimeout((int) limits.acquireTimeout().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        List<PgConnectOptions> servers = input.pgConnectOptionsList().stream()
                .map(options -> new PgConnectOptions(options)
                        .setConnectTimeout((int) limits.connectTimeout().toMillis())
                        .setIdleTimeout((int) limits.ioTimeout().toMillis())
                        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
                .toList();
        return PgPool.pool(input.vertx(), servers, pool);
    }
}
