package io.rxon.orchestrator.kafka;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.WireMessage;
import io.rxon.orchestrator.events.JobEvent;
import java.time.Instant;

/**
 * The value of one record on the job events topic, for this orchestrator's replicas and for outside
 * consumers alike: the event as SSE shows it, its job, the job's client and the event's time
 * (ISO-8601, UTC). The record's key is the job id.
 */
@WireMessage
@RegisterForReflection(targets = {EventRecord.class, JobEvent.class})
public record EventRecord(JobEvent event, String jobId, String clientId, String time) {

    public static EventRecord of(JobEvent event, String clientId) {
        return new EventRecord(event, event.jobId(), clientId, Instant.ofEpochMilli(event.createdAt()).toString());
    }

    public String toJson() {
        return Json.writeString(this);
    }

    /** The record a value carries, or {@code null} if it is not one (the topic is open to other producers). */
    public static EventRecord parse(String value) {
        try {
            EventRecord record = Json.read(value, EventRecord.class);
            return record == null || record.event() == null || record.event().eventId() == null ? null : record;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
