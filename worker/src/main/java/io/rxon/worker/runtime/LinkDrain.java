package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a drain that happens on every orchestrator link once no new work is taken: push
 * stopped, {@code draining} said, running tasks given the grace period (then cancelled and
 * reported cancelled), events and results delivered to the orchestrator that gave each task,
 * {@code offline} said as the very last heartbeat, and the links closed.
 */
final class LinkDrain {

    /** After the grace period: how long cancelled tasks get to report (at most; less with a shorter grace). */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);
    private static final Duration EVENT_FLUSH = Duration.ofSeconds(5);

    private final List<OrchestratorLink> links;
    private final RuntimeSettings settings;

    LinkDrain(List<OrchestratorLink> links, RuntimeSettings settings) {
        this.links = links;
        this.settings = settings;
    }

    void run() {
        links.forEach(link -> link.push().stop());
        links.stream().filter(link -> link.connection().isRegistered()).forEach(link -> link.heartbeat().drain());
        if (!awaitIdle(settings.drainGracePeriod())) {
            Log.warnf("grace period over; cancelling %s", currentTaskIds());
            links.forEach(link -> link.executor().cancelAll());
            Duration cancelWait = settings.drainGracePeriod().compareTo(CANCEL_WAIT) < 0
                    ? settings.drainGracePeriod() : CANCEL_WAIT;
            if (!awaitIdle(cancelWait)) {
                List<String> abandoned = new ArrayList<>();
                links.forEach(link -> abandoned.addAll(link.executor().abandonRunning()));
                Log.warnf("tasks %s ignored cancellation; reported them cancelled", abandoned);
            }
        }
        links.forEach(link -> link.events().flush(EVENT_FLUSH));
        long flushDeadline = System.nanoTime() + settings.resultFlushTimeout().toNanos();
        for (OrchestratorLink link : links) {
            if (!link.outbox().flush(until(flushDeadline))) {
                Log.errorf("%d result(s) for %s could not be delivered before shutdown", link.outbox().pending(),
                        link.url());
            }
        }
        links.stream().filter(link -> link.connection().isRegistered()).forEach(link -> link.heartbeat().finish());
        links.forEach(OrchestratorLink::close);
    }

    private List<String> currentTaskIds() {
        List<String> ids = new ArrayList<>();
        links.forEach(link -> ids.addAll(link.executor().currentTaskIds()));
        return ids;
    }

    /** All links idle within one shared {@code timeout}. */
    private boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (OrchestratorLink link : links) {
            if (!link.executor().awaitIdle(until(deadline))) {
                return false;
            }
        }
        return true;
    }

    private static Duration until(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
