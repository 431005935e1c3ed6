package io.rxon.worker.runtime;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Ties the {@link WorkerRuntime} to the application's life: it starts when Quarkus has started
 * and drains when Quarkus shuts down (SIGTERM from Kubernetes, Ctrl-C), before the beans go away.
 */
@ApplicationScoped
public class WorkerLifecycle {

    private final WorkerRuntime runtime;

    public WorkerLifecycle(WorkerRuntime runtime) {
        this.runtime = runtime;
    }

    void onStart(@Observes StartupEvent event) {
        runtime.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        runtime.drain();
    }
}
