package io.rxon.orchestrator.job;

import io.rxon.orchestrator.events.JobEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one transaction changed that others may hear of only once it has committed
 * ({@link JobCommits}): the job events it stored, the tasks it made pending and the running
 * tasks it asked to stop.
 */
public final class Outbox {

    private final List<JobEvent> events = new ArrayList<>();
    private final List<PendingTask> queued = new ArrayList<>();
    private final List<CancelRequested> cancels = new ArrayList<>();
    private final Set<String> withoutWebhook = new HashSet<>();

    public Outbox add(JobEvent event) {
        events.add(event);
        return this;
    }

    public Outbox queued(PendingTask task) {
        queued.add(task);
        return this;
    }

    public Outbox cancel(CancelRequested cancel) {
        cancels.add(cancel);
        return this;
    }

    /** The statement that stored this job's events knows it has no webhook: no need to look it up. */
    public Outbox withoutWebhook(String jobId) {
        withoutWebhook.add(jobId);
        return this;
    }

    boolean mayHaveWebhook(String jobId) {
        return !withoutWebhook.contains(jobId);
    }

    List<JobEvent> events() {
        return events;
    }

    List<PendingTask> queued() {
        return queued;
    }

    List<CancelRequested> cancels() {
        return cancels;
    }
}
