package io.rxon.orchestrator;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.rxon.orchestrator.db.EmbeddedDatabaseException;
import io.rxon.orchestrator.db.EmbeddedDatabaseLauncher;

/**
 * The orchestrator's entry point. It exists so that the embedded PostgreSQL can be started, and its URL
 * handed to Quarkus as configuration, before Quarkus reads its datasource settings; with an external
 * database configured it only runs Quarkus.
 */
@QuarkusMain
public final class OrchestratorMain {

    private OrchestratorMain() {
    }

    public static void main(String... args) {
        try {
            EmbeddedDatabaseLauncher.launchIfNeeded();
        } catch (EmbeddedDatabaseException e) {
            // Quarkus has not set up logging yet and buffers log records until it does: print directly.
            System.err.println("rxon-orchestrator cannot start: " + e.getMessage());
            System.exit(1);
        }
        Quarkus.run(args);
    }
}
