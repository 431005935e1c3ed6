package io.rxon.common.protocol;

import java.util.Map;

/** Runtime load of one device, reported in heartbeats. */
@WireMessage
public record DeviceUsage(String unitId, double loadPercent, Map<String, Object> metrics) {

    public DeviceUsage {
        Wire.required(unitId, "unit_id");
        metrics = Wire.map(metrics);
    }
}
