package io.rxon.orchestrator.testing;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A connection pool of "another orchestrator" on the test database: its own connections and
 * application name, for tests of what two instances sharing one database do.
 */
public final class OtherInstancePool {

    private OtherInstancePool() {}

    public static Pool open(Vertx vertx, String applicationName, int size) {
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(size)).connectingTo(options(applicationName))
                .using(vertx).build();
    }

    /** A LISTEN connection of "another orchestrator" (not yet connected). */
    public static PgSubscriber subscriber(Vertx vertx, String applicationName) {
        return PgSubscriber.subscriber(vertx, options(applicationName));
    }

    private static PgConnectOptions options(String applicationName) {
        Config config = ConfigProvider.getConfig();
        PgConnectOptions options = PgConnectOptions.fromUri(config.getValue("quarkus.datasource.reactive.url",
                        String.class).replaceFirst("^vertx-reactive:", ""))
                .setUser(config.getValue("quarkus.datasource.username", String.class))
                .setPassword(config.getValue("quarkus.datasource.password", String.class));
        options.getProperties().put("application_name", applicationName);
        return options;
    }
}
