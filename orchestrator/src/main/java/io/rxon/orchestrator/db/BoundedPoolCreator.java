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
 * for ({@link OrchestratorConfig.Database}): a connect timeout (an unreachable host otherwise takes a
 * minute) and a bound on the wait for a pooled connection, so that requests queueing behind a database
 * that does not answer get a 503 within seconds. The pool reconnects by itself: a closed connection
 * leaves the pool and the next request opens a new one, so an external database or a restarted embedded
 * one is used again as soon as it answers.
 *
 * <p>Every statement is kept prepared per connection, however long: the client's default caches only
 * statements up to 2,048 characters, and the claim and the grouped writes are close to that (1,900
 * and more), so a longer condition would silently make them parse and plan on every call. Prepared
 * once, they run on a generic plan ({@code plan_cache_mode} in application.properties). The
 * orchestrator's statements are a fixed set, so the cache stays small.
 *
 * <p>Not bounded: a statement already sent to a server that then freezes (SIGSTOP, a hung host) waits
 * for it. The client has no statement timeout, and an I/O idle timeout does not help: the PostgreSQL
 * codec turns the close into a polite Terminate message that a frozen server never acknowledges.
 */
@Singleton
public class BoundedPoolCreator implements PgPoolCreator {

    /** Far longer than any statement of the orchestrator's (the longest are ≈ 2,000 characters). */
    static final int STATEMENT_LENGTH_LIMIT = 16_384;

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
                        .setPreparedStatementCacheSqlLimit(STATEMENT_LENGTH_LIMIT))
                .toList();
        return PgPool.pool(input.vertx(), servers, pool);
    }
}
