package io.rxon.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged Quarkus application ({@code java -jar .../quarkus-run.jar}) running as a child
 * process: started with its environment, its output in a log file, ready when its health
 * endpoint says so, stopped with SIGTERM (graceful) or SIGKILL (a crash).
 *
 * <p>The JVM gets {@code -Xmx384m}, then the application's own options when it ships them beside
 * its jar ({@value #APPLICATION_OPTIONS}, a JVM argument file: the orchestrator's JIT settings, as
 * its container image passes them), then the whitespace-separated options of the system properties
 * {@value #JVM_OPTIONS} (every process) and {@code rxon.jvm-options.<name>} (the process of that
 * name, e.g. {@code orchestrator}), so that benchmarks can add JFR or another heap ({@code -Xmx1g}
 * overrides the default, the last one wins) without changing the tests.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** System property with JVM options for every started process; {@code <this>.<name>} for one. */
    public static final String JVM_OPTIONS = "rxon.jvm-options";
    /** The JVM argument file an application may ship beside its {@code quarkus-run.jar}. */
    public static final String APPLICATION_OPTIONS = "jvm.options";

    private final String name;
    private final Process process;
    private final int httpPort;
    private final Path log;

    private ManagedProcess(String name, Process process, int httpPort, Path log) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Starts {@code jar} with {@code environment} and the JVM options of the system properties (see
     * the class comment); its HTTP port must be set there by the caller.
     */
    public static ManagedProcess start(String name, Path jar, int httpPort, Map<String, String> environment,
            Path logDirectory) {
        List<String> jvmOptions = new ArrayList<>(options(System.getProperty(JVM_OPTIONS)));
        jvmOptions.addAll(options(System.getProperty(JVM_OPTIONS + "." + name)));
        return start(name, jar, httpPort, environment, logDirectory, jvmOptions);
    }

    /**
     * As above with explicit {@code jvmOptions}, placed after the default {@code -Xmx384m} and the
     * application's own options.
     */
    public static ManagedProcess start(String name, Path jar, int httpPort, Map<String, String> environment,
            Path logDirectory, List<String> jvmOptions) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first with ./mvnw -B package -DskipTests");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try {
            Files.createDirectories(logDirectory);
            Path log = logDirectory.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx384m"));
            Path applicationOptions = jar.resolveSibling(APPLICATION_OPTIONS);
            if (Files.isRegularFile(applicationOptions)) {
                command.add("@" + applicationOptions);
            }
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            return new ManagedProcess(name, builder.start(), httpPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private static List<String> options(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** The HTTP port the process was told to listen on. */
    public int httpPort() {
        return httpPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code /q/health/ready} answers 200. */
    public ManagedProcess awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        URI ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            if (answers(ready)) {
                return this;
            }
            pause(Duration.ofMillis(200));
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + log);
    }

    /** The body of {@code /q/health/ready} (whatever its status), or empty when it does not answer. */
    public String readiness() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean answers(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, then wait (SIGKILL after {@code patience}); returns the exit code. */
    public int stop(Duration patience) {
        process.destroy();
        try {
            if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: a crash, no shutdown hooks. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(60));
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
