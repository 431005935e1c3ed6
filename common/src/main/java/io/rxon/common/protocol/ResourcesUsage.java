package io.rxon.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Telemetry of a heartbeat: host CPU load, RAM in use and per-device usage. */
@WireMessage
public record ResourcesUsage(
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double cpuLoadPercent,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double ramUsedGb,
        List<DeviceUsage> devicesUsage) {

    public ResourcesUsage {
        devicesUsage = Wire.list(devicesUsage);
    }
}
