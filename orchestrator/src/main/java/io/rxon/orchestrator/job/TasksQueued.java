package io.rxon.orchestrator.job;

import java.util.List;

/** CDI event: these tasks became pending and their transaction committed; dispatch offers them to waiting workers. */
public record TasksQueued(List<PendingTask> tasks) {}
