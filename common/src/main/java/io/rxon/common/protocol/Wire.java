package io.rxon.common.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Helpers shared by the message records: required-field checks, defensive immutable copies that
 * keep JSON nulls, and the Jackson value filters that omit a field equal to its declared default
 * (the reference serialises with {@code omit_defaults=True}, PROTOCOL.md §2).
 */
public final class Wire {

    private Wire() {}

    /** Fails decoding with a message naming the missing field. */
    public static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing required field '" + field + "'");
        }
        return value;
    }

    public static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /** An unmodifiable copy that, unlike {@link Map#copyOf}, keeps null values and insertion order. */
    public static <K, V> Map<K, V> map(Map<K, V> value) {
        return value == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }

    /** An unmodifiable copy that, unlike {@link List#copyOf}, keeps null elements. */
    public static <T> List<T> list(List<T> value) {
        return value == null ? null : Collections.unmodifiableList(new ArrayList<>(value));
    }

    /** Base of the value filters: Jackson omits a property when {@code equals} answers true. */
    private abstract static class OmitIfEquals {
        private final Object defaultValue;

        OmitIfEquals(Object defaultValue) {
            this.defaultValue = defaultValue;
        }

        @Override
        public boolean equals(Object other) {
            return other == null || Objects.equals(defaultValue, other);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(defaultValue);
        }
    }

    /** Omits {@code worker_type = "generic"}. */
    public static final class OmitGeneric extends OmitIfEquals {
        public OmitGeneric() {
            super(WorkerRegistration.DEFAULT_WORKER_TYPE);
        }
    }

    /** Omits {@code status = "success"} of a task result. */
    public static final class OmitSuccess extends OmitIfEquals {
        public OmitSuccess() {
            super(ResultStatus.SUCCESS.wire());
        }
    }

    /** Omits {@code version = "unknown"} and {@code hostname = "unknown"}. */
    public static final class OmitUnknown extends OmitIfEquals {
        public OmitUnknown() {
            super("unknown");
        }
    }

    /** Omits {@code schema_dialect = "json-schema"}. */
    public static final class OmitJsonSchemaDialect extends OmitIfEquals {
        public OmitJsonSchemaDialect() {
            super(SkillInfo.DEFAULT_SCHEMA_DIALECT);
        }
    }

    /** Omits {@code ip_address = "0.0.0.0"}. */
    public static final class OmitAnyAddress extends OmitIfEquals {
        public OmitAnyAddress() {
            super(WorkerCapabilities.DEFAULT_IP_ADDRESS);
        }
    }
}
