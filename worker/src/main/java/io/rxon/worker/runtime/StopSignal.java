package io.rxon.worker.runtime;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-way "stop" flag that loops wait on instead of sleeping, so a backoff of a minute ends the
 * moment the worker starts draining.
 */
public final class StopSignal {

    private final CountDownLatch stopped = new CountDownLatch(1);

    public void stop() {
        stopped.countDown();
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** Waits {@code duration} unless stopped; true when the full wait passed without a stop. */
    public boolean pause(Duration duration) {
        try {
            return !stopped.await(Math.max(0, duration.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
