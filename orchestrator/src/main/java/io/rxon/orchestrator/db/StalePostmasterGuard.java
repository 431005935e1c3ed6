package io.rxon.orchestrator.db;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Clears what a killed previous run left in the data directory, right before the server starts. It exists
 * because {@code pg_ctl start} gives up when {@code postmaster.pid} names a live process: after
 * {@code kill -9} of the JVM the old server keeps running (it is a daemon) and, after a crash or reboot,
 * the recorded pid may belong to an unrelated process. It runs once the library holds the data directory's
 * lock file, so no other live embedded instance owns that directory: a server still running on it is an
 * orphan and is shut down (SIGTERM, then SIGKILL after a grace period); a pid file naming anything else is
 * removed. PostgreSQL's own shared-memory interlock remains as a second guard against two servers.
 */
final class StalePostmasterGuard implements Consumer<File> {

    static final String PID_FILE = "postmaster.pid";

    private static final Logger LOG = Logger.getLogger(StalePostmasterGuard.class);

    private static final long POLL_MILLIS = 100;

    private final Duration shutdownGrace;

    StalePostmasterGuard(Duration shutdownGrace) {
        this.shutdownGrace = shutdownGrace;
    }

    @Override
    public void accept(File dataDirectory) {
        Path directory = dataDirectory.toPath();
        Path pidFile = directory.resolve(PID_FILE);
        Optional<Long> pid = readPid(pidFile);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid.get())
                .filter(ProcessHandle::isAlive)
                .filter(process -> isPostmasterOf(process, directory));
        if (orphan.isPresent()) {
            LOG.warnf("PostgreSQL (pid %d) from a previous run is still running on %s; shutting it down",
                    pid.get(), directory);
            shutDown(orphan.get());
        } else {
            LOG.infof("Removing stale %s of %s (pid %d is no PostgreSQL server of this directory)",
                    PID_FILE, directory, pid.get());
        }
        deleteIfPresent(pidFile);
    }

    static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            // Missing, unreadable or half-written: nothing to stop; PostgreSQL rewrites it.
            return Optional.empty();
        }
    }

    /** A running {@code postgres} executable whose {@code -D} argument is this data directory. */
    static boolean isPostmasterOf(ProcessHandle process, Path dataDirectory) {
        ProcessHandle.Info info = process.info();
        boolean postgres = info.command()
                .map(command -> Path.of(command).getFileName().toString())
                .filter(name -> name.equals("postgres") || name.equals("postgres.exe"))
                .isPresent();
        if (!postgres) {
            return false;
        }
        String[] arguments = info.arguments().orElse(new String[0]);
        for (int i = 0; i + 1 < arguments.length; i++) {
            if (arguments[i].equals("-D") && sameDirectory(Path.of(arguments[i + 1]), dataDirectory)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameDirectory(Path candidate, Path dataDirectory) {
        try {
            return Files.isSameFile(candidate, dataDirectory);
        } catch (IOException e) {
            return candidate.toAbsolutePath().normalize().equals(dataDirectory.toAbsolutePath().normalize());
        }
    }

    private void shutDown(ProcessHandle postmaster) {
        List<ProcessHandle> children = postmaster.children().toList();
        postmaster.destroy();
        if (awaitExit(postmaster, shutdownGrace)) {
            return;
        }
        LOG.warnf("PostgreSQL (pid %d) did not stop within %s; killing it", postmaster.pid(), shutdownGrace);
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        if (!awaitExit(postmaster, Duration.ofSeconds(5))) {
            throw new EmbeddedDatabaseException("PostgreSQL (pid " + postmaster.pid()
                    + ") left running by a previous run cannot be stopped; stop it by hand");
        }
    }

    /** Polls rather than using {@code onExit()}: an unreaped zombie counts as alive for the JDK. */
    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning(process)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isRunning(process);
            }
        }
        return true;
    }

    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        try {
            // Format: "pid (command) state ...": the command may contain spaces and parentheses.
            String content = Files.readString(stat);
            int end = content.lastIndexOf(')');
            return end < 0 || end + 2 >= content.length() || content.charAt(end + 2) != 'Z';
        } catch (IOException e) {
            return process.isAlive();
        }
    }

    private static void deleteIfPresent(Path pidFile) {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("Cannot remove the stale " + pidFile, e);
        }
    }
}
