package io.rxon.worker.host;

import io.rxon.common.protocol.DeviceUsage;
import io.rxon.common.protocol.ResourcesUsage;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;

/**
 * The heartbeat's telemetry: host CPU load and RAM in use from the JVM's operating-system bean,
 * and per-GPU usage from {@code nvidia-smi} when present. Values the platform does not provide
 * are reported as 0 rather than failing the heartbeat.
 */
public class HostTelemetry {

    private static final double BYTES_PER_GIB = 1024.0 * 1024 * 1024;

    private final Optional<NvidiaSmi> gpus;

    public HostTelemetry(Optional<NvidiaSmi> gpus) {
        this.gpus = gpus;
    }

    /** Host numbers only, no GPU probing. */
    public static HostTelemetry hostOnly() {
        return new HostTelemetry(Optional.empty());
    }

    public ResourcesUsage sample() {
        List<DeviceUsage> devices = gpus.map(NvidiaSmi::usage).orElse(List.of());
        return new ResourcesUsage(cpuLoadPercent(), ramUsedGb(), devices.isEmpty() ? null : devices);
    }

    static double cpuLoadPercent() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            double load = sun.getCpuLoad();
            return load < 0 ? 0.0 : round(load * 100.0, 1);
        }
        double average = os.getSystemLoadAverage();
        return average < 0 ? 0.0 : round(Math.min(100.0, average / os.getAvailableProcessors() * 100.0), 1);
    }

    static double ramUsedGb() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean sun) {
            long used = sun.getTotalMemorySize() - sun.getFreeMemorySize();
            return used <= 0 ? 0.0 : round(used / BYTES_PER_GIB, 2);
        }
        return 0.0;
    }

    /** Total physical memory in GiB (0.1 precision), or 0 when the platform does not say. */
    public static double totalRamGb() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean sun) {
            return round(sun.getTotalMemorySize() / BYTES_PER_GIB, 1);
        }
        return 0.0;
    }

    private static double round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
