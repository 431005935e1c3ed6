package io.rxon.worker.host;

import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Assembles the {@link Resources} a worker registers with: discovered facts ({@code cpu_cores},
 * {@code ram_gb}, GPUs) first, then what configuration declares (extra devices such as a sensor
 * or an actuator, host properties, tags), configuration winning where both speak.
 */
public final class HostInventory {

    private HostInventory() {}

    /**
     * @param cpuCores processors to advertise
     * @param ramGb memory to advertise; 0 or less leaves {@code ram_gb} out
     * @param discovered devices found on the host (GPUs)
     * @param configured devices declared in configuration; one with the type and id of a
     *     discovered device replaces it (to correct a model string or add properties)
     * @param properties host properties from configuration; they override the discovered ones
     * @param tags advertised as the {@code tags} property when not empty
     */
    public static Resources resources(int cpuCores, double ramGb, List<HardwareDevice> discovered,
            List<HardwareDevice> configured, Map<String, Object> properties, List<String> tags) {
        List<HardwareDevice> devices = new ArrayList<>();
        for (HardwareDevice device : discovered) {
            boolean replaced = configured.stream().anyMatch(c -> sameDevice(c, device));
            if (!replaced) {
                devices.add(device);
            }
        }
        devices.addAll(configured);
        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("cpu_cores", cpuCores);
        if (ramGb > 0) {
            merged.put("ram_gb", ramGb);
        }
        merged.put("os", System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT));
        merged.put("arch", System.getProperty("os.arch", "unknown"));
        if (tags != null && !tags.isEmpty()) {
            merged.put("tags", List.copyOf(tags));
        }
        merged.putAll(properties);
        return new Resources(devices.isEmpty() ? null : devices, merged);
    }

    private static boolean sameDevice(HardwareDevice a, HardwareDevice b) {
        return a.type().equals(b.type()) && a.id() != null && a.id().equals(b.id());
    }
}
