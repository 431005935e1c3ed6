package io.rxon.orchestrator.job;

/**
 * CDI event: a task a worker runs must stop (its job was cancelled or passed its deadline), and
 * the transaction that decided it committed; the worker's socket, if open here, tells it at once.
 */
public record CancelRequested(String workerId, String jobId, String taskId) {}
