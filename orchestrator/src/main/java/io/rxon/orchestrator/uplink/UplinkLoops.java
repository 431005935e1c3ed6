package io.rxon.orchestrator.uplink;

import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The uplink's threads: each runs one step again and again, backing off while it fails. */
final class UplinkLoops {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private UplinkLoops() {}

    /**
     * Runs {@code step} while {@code running}; a failing step backs off (doubling up to 30 s) and is
     * logged once per streak.
     */
    static void run(BooleanSupplier running, String what, Runnable step) {
        int failures = 0;
        while (running.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            try {
                step.run();
                if (failures > 0) {
                    Log.infof("%s works again", what);
                }
                failures = 0;
            } catch (RuntimeException e) {
                if (!running.getAsBoolean()) {
                    return;
                }
                if (failures++ == 0) {
                    Log.warnf("%s failed (retrying with backoff): %s", what, e.getMessage());
                }
                sleep(Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(failures, 10))));
            }
        }
    }

    static void sleep(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
