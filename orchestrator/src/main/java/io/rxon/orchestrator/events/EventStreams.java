package io.rxon.orchestrator.events;

import io.rxon.orchestrator.job.JobEntity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A job's event stream for SSE: its stored history first, then live events, with nothing lost
 * in between (live events are buffered while the history loads) and nothing repeated. The
 * stream ends after the job's terminal event.
 */
@ApplicationScoped
public class EventStreams {

    private final EventService events;
    private final JobEventBus bus;

    public EventStreams(EventService events, JobEventBus bus) {
        this.events = events;
        this.bus = bus;
    }

    public Multi<JobEvent> follow(JobEntity job) {
        String jobId = job.id;
        return Multi.createFrom().emitter(emitter -> {
            Object lock = new Object();
            Set<String> seen = new HashSet<>();
            List<JobEvent> buffered = new ArrayList<>();
            boolean[] historyLoaded = {false};
            Runnable[] finish = new Runnable[1];
            Cancellable live = bus.stream().filter(event -> event.jobId().equals(jobId)).subscribe().with(event -> {
                synchronized (lock) {
                    if (!historyLoaded[0]) {
                        buffered.add(event);
                    } else if (seen.add(event.eventId())) {
                        emitter.emit(event);
                        if (JobEventBus.TERMINAL_TYPES.contains(event.type())) {
                            finish[0].run();
                        }
                    }
                }
            });
            finish[0] = () -> {
                live.cancel();
                emitter.complete();
            };
            emitter.onTermination(live::cancel);
            events.history(jobId).subscribe().with(history -> {
                synchronized (lock) {
                    List<JobEvent> all = new ArrayList<>(history);
                    all.addAll(buffered);
                    boolean ended = false;
                    for (JobEvent event : all) {
                        if (seen.add(event.eventId())) {
                            emitter.emit(event);
                            ended |= JobEventBus.TERMINAL_TYPES.contains(event.type());
                        }
                    }
                    historyLoaded[0] = true;
                    if (ended) {
                        finish[0].run();
                    }
                }
            }, emitter::fail);
        });
    }
}
