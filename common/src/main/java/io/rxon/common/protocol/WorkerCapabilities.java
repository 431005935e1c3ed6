package io.rxon.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What a worker can do beyond its skills: where it runs, its prices, the fingerprint of its S3
 * configuration and free-form extras (e.g. {@code websockets}, {@code push_dispatch}).
 */
@WireMessage
public record WorkerCapabilities(
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Wire.OmitUnknown.class) String hostname,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Wire.OmitAnyAddress.class) String ipAddress,
        Map<String, Double> costPerSkill,
        String s3ConfigHash,
        Map<String, Object> extra) {

    public static final String DEFAULT_HOSTNAME = "unknown";
    public static final String DEFAULT_IP_ADDRESS = "0.0.0.0";

    public WorkerCapabilities {
        hostname = Wire.orDefault(hostname, DEFAULT_HOSTNAME);
        ipAddress = Wire.orDefault(ipAddress, DEFAULT_IP_ADDRESS);
        costPerSkill = Wire.map(costPerSkill);
        extra = Wire.map(extra);
    }

    /** Whether {@code extra[flag]} is the boolean {@code true}. */
    public boolean hasExtraFlag(String flag) {
        return extra != null && Boolean.TRUE.equals(extra.get(flag));
    }
}
