package io.rxon.worker.host;

import io.quarkus.logging.Log;
import io.rxon.common.protocol.DeviceUsage;
import io.rxon.common.protocol.HardwareDevice;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * NVIDIA GPUs as {@code nvidia-smi} reports them, when that binary is on the {@code PATH}: the
 * inventory for registration and utilisation for heartbeats. Every failure (missing driver,
 * timeout, odd output) yields nothing and a log line: a worker without GPUs is a normal worker.
 */
public final class NvidiaSmi {

    static final List<String> INVENTORY_QUERY =
            List.of("--query-gpu=index,name,memory.total", "--format=csv,noheader,nounits");
    static final List<String> USAGE_QUERY =
            List.of("--query-gpu=index,utilization.gpu,memory.used,temperature.gpu", "--format=csv,noheader,nounits");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Path binary;

    NvidiaSmi(Path binary) {
        this.binary = binary;
    }

    /** The {@code nvidia-smi} on the {@code PATH}, if there is one. */
    public static Optional<NvidiaSmi> locate() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, "nvidia-smi");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new NvidiaSmi(candidate));
            }
        }
        return Optional.empty();
    }

    public List<HardwareDevice> gpus() {
        return run(INVENTORY_QUERY).map(NvidiaSmiParser::parseInventory).orElse(List.of());
    }

    public List<DeviceUsage> usage() {
        return run(USAGE_QUERY).map(NvidiaSmiParser::parseUsage).orElse(List.of());
    }

    private Optional<String> run(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(arguments);
        Path output = null;
        try {
            output = Files.createTempFile("rxon-nvidia-smi", ".txt");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                Log.warnf("%s did not answer within %s", binary, TIMEOUT);
                return Optional.empty();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                Log.infof("%s exited with %d: %s", binary, process.exitValue(), text.strip());
                return Optional.empty();
            }
            return Optional.of(text);
        } catch (IOException e) {
            Log.infof("cannot run %s: %s", binary, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            Log.debugf("could not delete %s: %s", file, e.getMessage());
        }
    }
}
