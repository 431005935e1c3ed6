package io.rxon.orchestrator.events;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A job's event stream for SSE: its stored history first, then live events, with nothing lost
 * in between (live events are buffered while the history loads) and nothing repeated. The
 * stream ends after the event the caller names as the last ({@code isLast}: the job's end).
 */
@ApplicationScoped
public class EventStreams {

    private final EventService events;
    private final JobEventBus bus;

    public EventStreams(EventService events, JobEventBus bus) {
        this.events = events;
        this.bus = bus;
    }

    public Multi<JobEvent> follow(String jobId, Predicate<JobEvent> isLast) {
        return Multi.createFrom().emitter(emitter -> new Follower(jobId, isLast, emitter).start());
    }

    /** The state of one subscriber: buffer until the history is out, then pass live events through. */
    private final class Follower {
        private final String jobId;
        private final Predicate<JobEvent> isLast;
        private final MultiEmitter<? super JobEvent> emitter;
        private final Set<String> seen = new HashSet<>();
        private final List<JobEvent> buffered = new ArrayList<>();
        private boolean historySent;
        private Cancellable live;

        Follower(String jobId, Predicate<JobEvent> isLast, MultiEmitter<? super JobEvent> emitter) {
            this.jobId = jobId;
            this.isLast = isLast;
            this.emitter = emitter;
        }

        void start() {
            live = bus.stream().filter(event -> event.jobId().equals(jobId)).subscribe().with(this::onLive);
            emitter.onTermination(live::cancel);
            events.history(jobId).subscribe().with(this::onHistory, emitter::fail);
        }

        private synchronized void onLive(JobEvent event) {
            if (historySent) {
                emit(List.of(event));
            } else {
                buffered.add(event);
            }
        }

        private synchronized void onHistory(List<JobEvent> history) {
            List<JobEvent> all = new ArrayList<>(history);
            all.addAll(buffered);
            buffered.clear();
            historySent = true;
            emit(all);
        }

        private void emit(List<JobEvent> batch) {
            for (JobEvent event : batch) {
                if (seen.add(event.eventId())) {
                    emitter.emit(event);
                    if (isLast.test(event)) {
                        live.cancel();
                        emitter.complete();
                        return;
                    }
                }
            }
        }
    }
}
