package io.rxon.common.transport;

import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.Signable;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.security.MessageSigning;
import java.time.Clock;

/**
 * Makes outgoing messages acceptable to the orchestrator's zero-trust gate: an integer epoch
 * timestamp when the caller set none (the gate requires one even without a secret), then the
 * signature when signing is configured. Both steps are idempotent, so a message may pass twice.
 */
final class MessageStamper {

    private final Clock clock;
    private final MessageSigning signing;

    MessageStamper(Clock clock, MessageSigning signing) {
        this.clock = clock;
        this.signing = signing;
    }

    WorkerRegistration registration(WorkerRegistration message) {
        return sign(message.timestamp() == null ? message.withTimestamp(now()) : message);
    }

    TaskResult result(TaskResult message) {
        return sign(message.timestamp() == null ? message.withTimestamp(now()) : message);
    }

    Heartbeat heartbeat(Heartbeat m) {
        if (m.timestamp() != null) {
            return sign(m);
        }
        return sign(new Heartbeat(m.workerId(), m.status(), m.usage(), m.currentTasks(), m.supportedSkills(),
                m.availableSkills(), m.hotSkills(), m.skillsHash(), m.security(), m.metadata(), now()));
    }

    WorkerEventPayload event(WorkerEventPayload m) {
        if (m.timestamp() != null) {
            return sign(m);
        }
        return sign(new WorkerEventPayload(m.eventId(), m.workerId(), m.originWorkerId(), m.eventType(), m.payload(),
                m.originTaskId(), m.bubblingChain(), m.targetJobId(), m.targetTaskId(), m.traceContext(),
                m.priority(), now(), m.security(), m.metadata()));
    }

    private <T extends Signable<T>> T sign(T message) {
        return signing == null ? message : signing.sign(message);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
