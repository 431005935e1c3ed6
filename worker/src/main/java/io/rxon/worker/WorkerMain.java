package io.rxon.worker;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import sun.misc.Signal;

/**
 * The worker's entry point. It exists for one reason: a JVM stopped by SIGTERM exits with 143, which
 * Kubernetes and systemd record as a failure, although a scale-down is the normal end of a worker.
 * Here SIGTERM and SIGINT ask Quarkus to exit with 0 instead; Quarkus then fires its
 * {@code ShutdownEvent}, the worker drains (see {@code WorkerLifecycle}) and the process exits 0.
 */
@QuarkusMain
public class WorkerMain implements QuarkusApplication {

    public static void main(String... args) {
        Quarkus.run(WorkerMain.class, args);
    }

    @Override
    public int run(String... args) {
        exitCleanlyOn("TERM");
        exitCleanlyOn("INT");
        Quarkus.waitForExit();
        return 0;
    }

    private static void exitCleanlyOn(String name) {
        try {
            Signal.handle(new Signal(name), signal -> {
                Log.infof("SIG%s received: draining, then exiting", name);
                Quarkus.asyncExit(0);
            });
        } catch (IllegalArgumentException e) {
            Log.debugf("cannot handle SIG%s on this platform: %s", name, e.getMessage());
        }
    }
}
