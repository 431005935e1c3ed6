package io.rxon.common.protocol;

import java.util.List;
import java.util.Map;

/** A worker's device inventory and host properties ({@code cpu_cores}, {@code ram_gb}, tags…). */
@WireMessage
public record Resources(List<HardwareDevice> devices, Map<String, Object> properties) {

    public Resources {
        devices = Wire.list(devices);
        properties = Wire.map(properties);
    }
}
