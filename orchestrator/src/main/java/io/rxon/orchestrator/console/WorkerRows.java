package io.rxon.orchestrator.console;

import io.quarkus.qute.TemplateData;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.worker.WorkerEntity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A registered worker as the workers page shows it: what it declared and what its heartbeats last said. */
final class WorkerRows {

    /** One worker, every cell already text. */
    @TemplateData
    public record WorkerRow(String workerId, String status, String host, String link, String skills,
            String resources, String devices, String telemetry, String tasks, String seen) {}

    private WorkerRows() {}

    static WorkerRow of(WorkerEntity worker) {
        WorkerRegistration registration = Json.convert(worker.registration, WorkerRegistration.class);
        String host = registration.capabilities() == null || registration.capabilities().hostname() == null ? ""
                : registration.capabilities().hostname();
        Resources resources = registration.resources() == null ? new Resources(null, null) : registration.resources();
        return new WorkerRow(worker.id, worker.status, host, link(registration),
                orEmpty(registration.supportedSkills()).stream().map(SkillInfo::name)
                        .collect(Collectors.joining(", ")),
                pairs(resources.properties()),
                orEmpty(resources.devices()).stream().map(WorkerRows::device).collect(Collectors.joining("; ")),
                telemetry(worker.usage),
                worker.currentTasks == null ? "" : String.join(", ", worker.currentTasks),
                ConsoleFormat.time(worker.lastSeenAt));
    }

    /**
     * How the worker reaches the orchestrators: which replica holds its connection is not recorded
     * (any replica serves any worker), so this names the channel it asked for.
     */
    private static String link(WorkerRegistration registration) {
        Object orchestrator = registration.metadata() == null ? null : registration.metadata().get("orchestrator");
        String channel = registration.asksForPushDispatch() ? "socket (push dispatch)" : "HTTP long-poll";
        return orchestrator == null ? channel : channel + " via " + orchestrator;
    }

    private static String device(HardwareDevice device) {
        String name = device.type() + (device.model() == null ? "" : " " + device.model())
                + (device.id() == null ? "" : " #" + device.id());
        return device.properties() == null || device.properties().isEmpty() ? name
                : name + " (" + pairs(device.properties()) + ")";
    }

    /** A heartbeat's {@code usage}: CPU, RAM and each device's load. */
    static String telemetry(Map<String, Object> usage) {
        if (usage == null || usage.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (usage.get("cpu_load_percent") instanceof Number cpu) {
            parts.add("cpu " + round(cpu) + " %");
        }
        if (usage.get("ram_used_gb") instanceof Number ram) {
            parts.add("ram " + round(ram) + " GB");
        }
        if (usage.get("devices_usage") instanceof List<?> devices) {
            for (Object device : devices) {
                if (device instanceof Map<?, ?> load) {
                    parts.add(load.get("unit_id") + " " + (load.get("load_percent") instanceof Number n ? round(n) : "?")
                            + " %");
                }
            }
        }
        return String.join(" · ", parts);
    }

    /** Messages read back from the database keep the nulls they were stored with. */
    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String round(Number value) {
        double rounded = Math.round(value.doubleValue() * 10) / 10.0;
        return rounded == Math.rint(rounded) ? Long.toString((long) rounded) : Double.toString(rounded);
    }

    private static String pairs(Map<String, Object> values) {
        return values == null ? "" :  values.entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", "));
    }
}
