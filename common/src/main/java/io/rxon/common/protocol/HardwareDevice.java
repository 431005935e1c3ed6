package io.rxon.common.protocol;

import java.util.Map;

/**
 * One device of a worker's inventory (a GPU, a sensor, an actuator); requirements use the same
 * shape and are matched by {@link io.rxon.common.matching.ResourceMatcher}.
 */
@WireMessage
public record HardwareDevice(
        String type, String model, String id, Map<String, Object> properties, Map<String, Object> metrics) {

    public HardwareDevice {
        Wire.required(type, "type");
        properties = Wire.map(properties);
        metrics = Wire.map(metrics);
    }

    public static HardwareDevice of(String type, String model) {
        return new HardwareDevice(type, model, null, null, null);
    }
}
