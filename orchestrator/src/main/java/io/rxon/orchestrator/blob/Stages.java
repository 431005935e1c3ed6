package io.rxon.orchestrator.blob;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Bridges the blob store's {@link CompletionStage}s into Mutiny. The store completes them on its
 * own threads; the item is handed back to the caller's Vert.x context, so that a Hibernate Reactive
 * session or transaction can follow in the same chain.
 */
public final class Stages {

    private Stages() {}

    public static <T> Uni<T> uni(Supplier<? extends CompletionStage<? extends T>> stage) {
        Context context = Vertx.currentContext();
        Uni<T> uni = Uni.createFrom().completionStage(stage);
        return context == null ? uni : uni.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }
}
