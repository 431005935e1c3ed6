package io.rxon.orchestrator.db;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the embedded PostgreSQL runs. It exists so that the orchestrator's launcher and the test
 * resource describe the same server with one value: the data directory (kept between runs), the directory
 * the PostgreSQL binaries are extracted to, the port and whether commits are made durable. The password
 * file and the server log sit next to the data directory ({@code postgres} gives {@code postgres.password}
 * and {@code postgres.log}), never inside it, because {@code initdb} needs an empty directory.
 *
 * @param dataDirectory the PostgreSQL data directory ({@code PGDATA}); created and initialised on first use
 * @param binariesDirectory where the bundled binaries are unpacked (one {@code PG-<digest>} folder per
 *     version); must not contain the data directory nor lie inside it
 * @param port the TCP port on 127.0.0.1, or 0 for a free one chosen at start
 * @param startupTimeout how long to wait for the server to accept connections
 * @param durable {@code true} keeps {@code fsync} and {@code synchronous_commit} on (an orchestrator's
 *     data); {@code false} trades crash safety for speed (throw-away test databases)
 */
public record EmbeddedDatabaseSettings(
        Path dataDirectory, Path binariesDirectory, int port, Duration startupTimeout, boolean durable) {

    /** Name of the folder, next to the data directory, that receives the binaries by default. */
    public static final String DEFAULT_BINARIES_FOLDER = "postgres-binaries";

    private static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);

    public EmbeddedDatabaseSettings {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(binariesDirectory, "binariesDirectory");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        dataDirectory = dataDirectory.toAbsolutePath().normalize();
        binariesDirectory = binariesDirectory.toAbsolutePath().normalize();
        if (dataDirectory.getParent() == null) {
            throw new IllegalArgumentException("the data directory cannot be a file system root");
        }
        if (dataDirectory.startsWith(binariesDirectory) || binariesDirectory.startsWith(dataDirectory)) {
            // The binaries directory is also the library's scratch area, which it sweeps for abandoned
            // data directories: a data directory inside it could be deleted.
            throw new IllegalArgumentException("the binaries directory " + binariesDirectory
                    + " and the data directory " + dataDirectory + " must not contain one another");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout must be positive: " + startupTimeout);
        }
    }

    /**
     * Durable settings for the given data directory: binaries in {@value #DEFAULT_BINARIES_FOLDER} next to it,
     * a free port and a 30 s start-up timeout.
     */
    public static EmbeddedDatabaseSettings forDataDirectory(Path dataDirectory) {
        Path absolute = dataDirectory.toAbsolutePath().normalize();
        Path parent = absolute.getParent() == null ? absolute : absolute.getParent();
        return new EmbeddedDatabaseSettings(
                absolute, parent.resolve(DEFAULT_BINARIES_FOLDER), 0, DEFAULT_STARTUP_TIMEOUT, true);
    }

    public EmbeddedDatabaseSettings withBinariesDirectory(Path directory) {
        return new EmbeddedDatabaseSettings(dataDirectory, directory, port, startupTimeout, durable);
    }

    public EmbeddedDatabaseSettings withPort(int newPort) {
        return new EmbeddedDatabaseSettings(dataDirectory, binariesDirectory, newPort, startupTimeout, durable);
    }

    public EmbeddedDatabaseSettings withStartupTimeout(Duration timeout) {
        return new EmbeddedDatabaseSettings(dataDirectory, binariesDirectory, port, timeout, durable);
    }

    public EmbeddedDatabaseSettings withDurable(boolean newDurable) {
        return new EmbeddedDatabaseSettings(dataDirectory, binariesDirectory, port, startupTimeout, newDurable);
    }

    /** The file holding the generated password of the server's roles ({@code <data dir>.password}). */
    public Path passwordFile() {
        return sibling(".password");
    }

    /** The file the server and its tools append their output to ({@code <data dir>.log}). */
    public Path logFile() {
        return sibling(".log");
    }

    private Path sibling(String suffix) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + suffix);
    }
}
