package io.rxon.orchestrator.db;

import io.quarkus.runtime.Application;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Stops the embedded PostgreSQL when the JVM exits, after the Quarkus application has stopped. It exists
 * because shutdown hooks run concurrently: on SIGTERM, Quarkus' own hook drains requests and closes its
 * connection pools while this one runs, and stopping the server first would fail the last transactions.
 * The wait is bounded so that a stuck application cannot keep the JVM, or the server, alive.
 */
final class DatabaseShutdownHook extends Thread {

    private static final Logger LOG = Logger.getLogger(DatabaseShutdownHook.class);
    private static final Duration APPLICATION_STOP_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedDatabaseSupervisor database;

    DatabaseShutdownHook(EmbeddedDatabaseSupervisor database) {
        super("rxon-embedded-postgres-shutdown");
        this.database = database;
    }

    @Override
    public void run() {
        awaitApplicationStopped();
        try {
            database.close();
        } catch (EmbeddedDatabaseException e) {
            LOG.error("Could not stop the embedded PostgreSQL", e);
        }
    }

    private static void awaitApplicationStopped() {
        Application application = Application.currentApplication();
        if (application == null) {
            return;
        }
        try {
            CompletableFuture.runAsync(application::awaitShutdown)
                    .get(APPLICATION_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("Quarkus did not stop within %s; stopping the embedded PostgreSQL anyway",
                    APPLICATION_STOP_TIMEOUT);
        } catch (ExecutionException e) {
            LOG.debug("Waiting for Quarkus to stop failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
