package io.rxon.orchestrator.db;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link KilledRunRecoveryTest}: starts an embedded database on the given data
 * directory, says {@value #READY}, and waits to be killed, leaving its server behind as an orphan.
 */
public final class OrphanedServerMain {

    static final String READY = "READY";

    private OrphanedServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedDatabaseSettings settings = EmbeddedDatabaseSettings.forDataDirectory(Path.of(args[0]))
                .withBinariesDirectory(Path.of(args[1]));
        EmbeddedDatabase.start(settings);
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
