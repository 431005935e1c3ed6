package io.rxon.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker for tests (no Docker): {@code kafka_2.13} from Maven Central run in a
 * process of its own, KRaft mode, one node that is broker and controller, on 127.0.0.1, its data
 * under {@code target/}. {@link #shared()} starts one per test run (JVM) and stops it when the JVM
 * exits; {@link #stop()} and {@link #start()} make an outage on the same port with the same data.
 */
public final class KafkaBroker implements AutoCloseable {

    private static KafkaBroker shared;

    private final Path dir;
    private final int port;
    private Process process;

    private KafkaBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The broker of this test run, started on first use. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            KafkaBroker broker = create(Path.of("target", "kafka-" + ProcessHandle.current().pid()));
            broker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
            shared = broker;
        }
        return shared;
    }

    /** A broker with its own data directory, formatted and not started yet. */
    public static KafkaBroker create(Path dir) {
        int port = freePort();
        int controllerPort = freePort();
        try {
            Files.createDirectories(dir);
            Path data = dir.toAbsolutePath().resolve("data");
            Files.writeString(dir.resolve("server.properties"), String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + data,
                    // One node: every internal topic has a single replica.
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    // Several partitions, so per-key (per-job) order is really what is tested.
                    "num.partitions=3",
                    "auto.create.topics.enable=true",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a Kafka broker under " + dir, e);
        }
        KafkaBroker broker = new KafkaBroker(dir, port);
        broker.format();
        return broker;
    }

    /** {@code host:port}, i.e. {@code bootstrap.servers} ({@code RXON_KAFKA_BOOTSTRAP_SERVERS}). */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (again, after {@link #stop()}) and waits until it has started. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        Path log = dir.resolve("broker.log");
        long from = log.toFile().length();
        process = java(List.of("-Xmx384m", "-Dlog4j2.level=INFO", "kafka.Kafka",
                dir.resolve("server.properties").toString()), log);
        awaitStarted(log, from, Duration.ofSeconds(60));
    }

    /** Stops the broker for an outage; {@link #start()} brings it back with its data. */
    public synchronized void stop() {
        close();
    }

    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    private void format() {
        byte[] uuid = new byte[16];
        new SecureRandom().nextBytes(uuid);
        String clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(uuid);
        Process formatting = java(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
                dir.resolve("server.properties").toString()), dir.resolve("format.log"));
        try {
            if (!formatting.waitFor(60, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka's storage failed: see " + dir.resolve("format.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Process java(List<String> arguments, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", classpath()));
        command.addAll(arguments);
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits for the broker's own word that it started (a listening port alone comes before that). */
    private void awaitStarted(Path log, long from, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + ": see " + log);
            }
            if (logged(log, from, "Kafka Server started") && listening()) {
                return;
            }
            pause();
        }
        close();
        throw new IllegalStateException("the Kafka broker did not start within " + timeout + ": see " + log);
    }

    private static boolean logged(Path log, long from, String line) {
        try {
            byte[] bytes = Files.readAllBytes(log);
            return new String(bytes, (int) Math.min(from, bytes.length), (int) Math.max(0, bytes.length - from),
                    StandardCharsets.UTF_8).contains(line);
        } catch (IOException e) {
            return false;
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String classpath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream("/rxon-test-support.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            Path file = Path.of(properties.getProperty("kafka.classpath-file"));
            if (!Files.exists(file)) {
                throw new IllegalStateException("no Kafka classpath at " + file + ": build the test-support module");
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
