package io.rxon.worker.task;

import io.quarkus.logging.Log;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.TaskError;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.worker.metrics.WorkerMetrics;
import io.rxon.worker.skill.SkillRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Runs each task on a thread of its own from a pool as large as the worker's slots, so a task
 * never waits for a thread. It owns the set of running tasks (reported in heartbeats), stops them
 * on request (cancellation, a passed deadline, a drain that ran out of time) and hands every
 * result to the outbox exactly once, before the task's slot is released.
 */
public final class TaskExecutor {

    private final SkillInvoker invoker;
    private final SkillRegistry skills;
    private final BiConsumer<TaskResult, Runnable> results;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final ExecutorService pool;
    private final Map<String, TaskRun> runs = new ConcurrentHashMap<>();
    private final Object idle = new Object();

    /**
     * @param results where finished results go (the outbox), each with what to run once the
     *     orchestrator has acknowledged it (or it is settled otherwise): the release of its slot
     * @param timers fires deadlines
     */
    public TaskExecutor(SkillInvoker invoker, SkillRegistry skills, BiConsumer<TaskResult, Runnable> results,
            WorkerMetrics metrics, Clock clock, int concurrency, ScheduledExecutorService timers) {
        this.invoker = invoker;
        this.skills = skills;
        this.results = results;
        this.metrics = metrics;
        this.clock = clock;
        this.timers = timers;
        this.pool = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), WorkerThreads.named("rxon-task"));
    }

    /**
     * Starts {@code task} in the slot held by {@code permit}, which it now owns and releases once
     * the orchestrator has the task's result: a worker whose results queue up (a slow or lost
     * orchestrator) takes no more tasks meanwhile, whose leases would run out in its outbox. A task id already running here (a duplicate delivery) is not
     * started twice.
     */
    public void start(TaskPayload task, CapacitySlots.Permit permit) {
        TaskRun run = new TaskRun(task, clock.instant());
        if (runs.putIfAbsent(task.taskId(), run) != null) {
            Log.warnf("task %s is already running here; duplicate delivery ignored", task.taskId());
            permit.release();
            return;
        }
        permit.occupy();
        Log.debugf("starting task %s (%s) of job %s", task.taskId(), task.type(), task.jobId());
        ScheduledFuture<?> deadline = scheduleDeadline(run);
        try {
            pool.execute(() -> execute(run, permit, deadline));
        } catch (RejectedExecutionException e) {
            finish(run, permit, deadline, invoker.failure(run,
                    new TaskError(ErrorCode.RESOURCE_EXHAUSTED_ERROR, "worker is shutting down")));
        }
    }

    /** Asks a running task to stop and report {@code cancelled}; false when it is not running here. */
    public boolean cancel(String taskId) {
        TaskRun run = runs.get(taskId);
        if (run == null) {
            return false;
        }
        if (run.requestStop(TaskRun.StopReason.CANCELLED)) {
            Log.infof("cancelling task %s", taskId);
        }
        return true;
    }

    /** Asks every running task to stop. */
    public void cancelAll() {
        runs.keySet().forEach(this::cancel);
    }

    /** Ids of the tasks running now (sent as the heartbeat's {@code current_tasks}). */
    public List<String> currentTaskIds() {
        return new ArrayList<>(runs.keySet());
    }

    public int running() {
        return runs.size();
    }

    /** Waits until no task runs; false when {@code timeout} passed first. */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (!runs.isEmpty()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(idle, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return runs.isEmpty();
                }
            }
            return true;
        }
    }

    /**
     * Reports every task still running as {@code cancelled} without waiting for it any longer (a
     * drain whose grace period ran out); returns their ids.
     */
    public List<String> abandonRunning() {
        List<String> abandoned = new ArrayList<>();
        for (TaskRun run : runs.values()) {
            run.requestStop(TaskRun.StopReason.CANCELLED);
            if (run.markReported()) {
                // the slot is released when the abandoned skill returns after all (finish, below)
                results.accept(invoker.stopped(run), () -> { });
                abandoned.add(run.taskId());
            }
        }
        return abandoned;
    }

    /** Stops the pool; running skills are interrupted. */
    public void shutdown() {
        pool.shutdownNow();
    }

    private void execute(TaskRun run, CapacitySlots.Permit permit, ScheduledFuture<?> deadline) {
        TaskResult result;
        try {
            result = invoker.invoke(run);
        } catch (RuntimeException | Error e) {
            result = invoker.failure(run, TaskFailures.toError(e));
        }
        finish(run, permit, deadline, result);
    }

    private void finish(TaskRun run, CapacitySlots.Permit permit, ScheduledFuture<?> deadline, TaskResult result) {
        boolean slotHandedOn = false;
        try {
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (run.markReported()) {
                results.accept(result, permit::release);
                slotHandedOn = true;
                record(run, result);
            }
        } finally {
            runs.remove(run.taskId(), run);
            if (!slotHandedOn) {
                permit.release();
            }
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    private void record(TaskRun run, TaskResult result) {
        String skill = skills.find(run.task().type()).isPresent() ? run.task().type() : WorkerMetrics.UNKNOWN_SKILL;
        String code = result.error() == null ? null : result.error().code();
        metrics.taskFinished(skill, result.status(), code, Duration.between(run.startedAt(), clock.instant()));
        if (code != null) {
            Log.infof("task %s (%s) failed with %s: %s", run.taskId(), run.task().type(), code,
                    result.error().message());
        } else {
            Log.debugf("task %s (%s) finished: %s", run.taskId(), run.task().type(), result.status());
        }
    }

    private ScheduledFuture<?> scheduleDeadline(TaskRun run) {
        Long deadline = run.task().deadline();
        if (deadline == null) {
            return null;
        }
        long delay = Math.max(0, Instant.ofEpochSecond(deadline).toEpochMilli() - clock.millis());
        try {
            return timers.schedule(() -> {
                if (run.requestStop(TaskRun.StopReason.TIMED_OUT)) {
                    Log.infof("task %s passed its deadline; stopping it", run.taskId());
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }
}
