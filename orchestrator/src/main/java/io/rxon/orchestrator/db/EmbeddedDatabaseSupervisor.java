package io.rxon.orchestrator.db;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Restarts the embedded PostgreSQL when its server process dies (a {@code kill -9}, the OOM killer, a
 * crash), on the same data directory and the same port, so that the application's connection pools find
 * it again by themselves. It exists because nothing else would: the server is a daemon of this process
 * and no container runtime watches it. The server is checked every {@value #CHECK_MILLIS} ms; restarts
 * back off from {@code 0.5 s} to {@code 30 s}, and each outage is logged once when it starts and once
 * when it ends. A frozen server (SIGSTOP) is not restarted: it still runs, and readiness reports it.
 *
 * <p>The supervisor is started before Quarkus (by the launcher, or by the test resource) and registers
 * itself so that the health checks, created later in the same class loader, can report on it.
 */
public final class EmbeddedDatabaseSupervisor implements AutoCloseable {

    /** The state the health checks report. */
    public record Health(boolean running, long downSinceNanos, int failedRestarts) {

        /** How long the server has been down; zero while it runs. */
        public Duration downFor() {
            return running ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - downSinceNanos);
        }
    }

    static final long CHECK_MILLIS = 250;
    /** The default wait before the first restart and the start of the backoff. */
    public static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabaseSupervisor.class);
    private static final AtomicReference<EmbeddedDatabaseSupervisor> ACTIVE = new AtomicReference<>();

    private final EmbeddedDatabaseSettings settings;
    private final Duration firstRetry;
    private final ScheduledExecutorService checker;
    private volatile EmbeddedDatabase current;
    private volatile Health health = new Health(true, 0, 0);
    private long nextAttemptNanos;
    private boolean closed;

    private EmbeddedDatabaseSupervisor(EmbeddedDatabase database, Duration firstRetry) {
        this.current = database;
        this.firstRetry = firstRetry;
        // Same port: the pools' URLs, already handed to Quarkus, must stay right.
        this.settings = database.settings().withPort(database.port());
        this.checker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "rxon-embedded-postgres-supervisor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts watching {@code database}; the supervisor owns it from now on (close the supervisor, not it). */
    public static EmbeddedDatabaseSupervisor supervise(EmbeddedDatabase database) {
        return supervise(database, FIRST_RETRY);
    }

    /**
     * As {@link #supervise(EmbeddedDatabase)}, waiting {@code firstRetry} before the first restart (and
     * doubling it from there up to 30 s): tests lengthen the outage so that they can watch it.
     */
    public static EmbeddedDatabaseSupervisor supervise(EmbeddedDatabase database, Duration firstRetry) {
        EmbeddedDatabaseSupervisor supervisor = new EmbeddedDatabaseSupervisor(database, firstRetry);
        supervisor.checker.scheduleWithFixedDelay(supervisor::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        ACTIVE.set(supervisor);
        return supervisor;
    }

    /** The supervisor of this process's embedded database; empty with an external database. */
    public static Optional<EmbeddedDatabaseSupervisor> active() {
        return Optional.ofNullable(ACTIVE.get());
    }

    /** The server as currently started; a new instance after each restart. */
    public EmbeddedDatabase database() {
        return current;
    }

    public Health health() {
        return health;
    }

    /** Stops watching, then stops the server; waits for a restart in progress. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            checker.shutdown();
            ACTIVE.compareAndSet(this, null);
        }
        current.close();
    }

    private synchronized void check() {
        if (closed) {
            return;
        }
        try {
            if (health.running()) {
                if (current.isRunning()) {
                    return;
                }
                LOG.warnf("The embedded PostgreSQL (pid %d) on port %d died; restarting it on the same data directory"
                        + " and port until it runs again", current.postmasterPid(), current.port());
                health = new Health(false, System.nanoTime(), 0);
                current.discard();
                // The dead server's backends notice its death within milliseconds; a new server refuses
                // to start while they still hold the old shared memory.
                nextAttemptNanos = System.nanoTime() + firstRetry.toNanos();
            }
            if (System.nanoTime() - nextAttemptNanos >= 0) {
                restart();
            }
        } catch (RuntimeException e) {
            // Never let an exception end the scheduled checks.
            LOG.errorf(e, "Supervising the embedded PostgreSQL failed");
        }
    }

    private void restart() {
        Health down = health;
        try {
            current = EmbeddedDatabase.start(settings);
            health = new Health(true, 0, 0);
            LOG.warnf("The embedded PostgreSQL runs again (pid %d) after %d ms down and %d failed restarts",
                    current.postmasterPid(), down.downFor().toMillis(), down.failedRestarts());
        } catch (RuntimeException e) {
            int failures = down.failedRestarts() + 1;
            health = new Health(false, down.downSinceNanos(), failures);
            Duration wait = backoff(firstRetry, failures);
            // A failed start can leave the library's lock file open until its stream is collected.
            System.gc();
            nextAttemptNanos = System.nanoTime() + wait.toNanos();
            if (failures == 1) {
                LOG.warnf("The embedded PostgreSQL could not be restarted yet (%s); retrying with backoff",
                        e.getMessage());
            } else {
                LOG.debugf("Restart %d of the embedded PostgreSQL failed, next in %s: %s", failures, wait,
                        e.getMessage());
            }
        }
    }

    static Duration backoff(Duration first, int failures) {
        Duration wait = first;
        for (int i = 1; i < failures && wait.compareTo(MAX_RETRY) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait;
    }
}
