package io.rxon.worker.host;

import io.rxon.common.protocol.DeviceUsage;
import io.rxon.common.protocol.HardwareDevice;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the CSV that {@code nvidia-smi --format=csv,noheader,nounits} prints. Lines it cannot
 * read are skipped (a GPU that fell off the bus prints an error line), and {@code [N/A]} values
 * leave their property out rather than inventing one.
 */
public final class NvidiaSmiParser {

    /** Device type of every GPU found; requirements name it. */
    public static final String GPU_TYPE = "gpu";

    private static final BigDecimal MIB_PER_GIB = BigDecimal.valueOf(1024);

    private NvidiaSmiParser() {}

    /**
     * Parses {@code --query-gpu=index,name,memory.total} output into GPU devices with id = index,
     * model = name and properties {@code vram_gb} (rounded to 0.1, so an "80 GB" card that reports
     * 81920 MiB matches a requirement of 80) and {@code memory_mb}.
     */
    public static List<HardwareDevice> parseInventory(String output) {
        List<HardwareDevice> gpus = new ArrayList<>();
        for (String[] fields : rows(output)) {
            if (fields.length < 3 || !isInteger(fields[0])) {
                continue;
            }
            String index = fields[0];
            String name = String.join(", ", Arrays.copyOfRange(fields, 1, fields.length - 1));
            Map<String, Object> properties = new LinkedHashMap<>();
            Long memoryMb = integer(fields[fields.length - 1]);
            if (memoryMb != null) {
                properties.put("vram_gb", gib(memoryMb));
                properties.put("memory_mb", memoryMb);
            }
            gpus.add(new HardwareDevice(GPU_TYPE, name.isEmpty() ? null : name, index,
                    properties.isEmpty() ? null : properties, null));
        }
        return gpus;
    }

    /**
     * Parses {@code --query-gpu=index,utilization.gpu,memory.used,temperature.gpu} output into
     * device usage: load in percent, metrics {@code memory_used_gb} and {@code temperature_c}.
     */
    public static List<DeviceUsage> parseUsage(String output) {
        List<DeviceUsage> usage = new ArrayList<>();
        for (String[] fields : rows(output)) {
            if (fields.length < 2 || !isInteger(fields[0])) {
                continue;
            }
            Long load = integer(fields[1]);
            Map<String, Object> metrics = new LinkedHashMap<>();
            Long memoryUsedMb = fields.length > 2 ? integer(fields[2]) : null;
            if (memoryUsedMb != null) {
                metrics.put("memory_used_gb", gib(memoryUsedMb));
            }
            Long temperature = fields.length > 3 ? integer(fields[3]) : null;
            if (temperature != null) {
                metrics.put("temperature_c", temperature);
            }
            usage.add(new DeviceUsage(fields[0], load == null ? 0.0 : load.doubleValue(),
                    metrics.isEmpty() ? null : metrics));
        }
        return usage;
    }

    private static List<String[]> rows(String output) {
        List<String[]> rows = new ArrayList<>();
        if (output == null) {
            return rows;
        }
        for (String line : output.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",");
            for (int i = 0; i < fields.length; i++) {
                fields[i] = fields[i].trim();
            }
            rows.add(fields);
        }
        return rows;
    }

    private static double gib(long mib) {
        return BigDecimal.valueOf(mib).divide(MIB_PER_GIB, 1, RoundingMode.HALF_UP).doubleValue();
    }

    private static boolean isInteger(String text) {
        return integer(text) != null;
    }

    private static Long integer(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            try {
                BigDecimal decimal = new BigDecimal(text.trim());
                return decimal.setScale(0, RoundingMode.HALF_UP).longValueExact();
            } catch (NumberFormatException | ArithmeticException notANumber) {
                return null;
            }
        }
    }
}
