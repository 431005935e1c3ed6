package io.rxon.worker.task;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads, so a thread dump shows which part of the worker each thread serves. */
public final class WorkerThreads {

    private WorkerThreads() {}

    /** Threads named {@code prefix-1}, {@code prefix-2}…; daemon, so they never keep the JVM alive. */
    public static ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
