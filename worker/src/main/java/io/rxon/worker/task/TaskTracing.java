package io.rxon.worker.task;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Continues a job's trace on the worker (docs/TRACING.md): a {@code rxon.run} span around the
 * task, child of the task's {@code tracing_context}, with a child span for each blob transfer;
 * the task's events carry the run's context as {@code trace_context} and its result as
 * {@code metadata.trace_context}. Off (no {@code RXON_OTLP_ENDPOINT}), {@link #start} returns a
 * run that does nothing.
 */
public final class TaskTracing {

    /** Where a result brings the run's trace context back to the orchestrator. */
    public static final String RESULT_KEY = "trace_context";

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private static final Run NONE = new Run(null, null, null);

    private final Tracer tracer;

    private TaskTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    public static TaskTracing off() {
        return new TaskTracing(null);
    }

    public static TaskTracing of(OpenTelemetry openTelemetry) {
        return new TaskTracing(openTelemetry.getTracer("io.rxon.worker"));
    }

    /** Starts the task's run span on the calling thread, under its {@code tracing_context} (else a new trace). */
    public Run start(TaskPayload task, String workerId) {
        if (tracer == null) {
            return NONE;
        }
        Map<String, String> carrier = task.tracingContext();
        Context parent = carrier == null || carrier.get("traceparent") == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, GETTER);
        Span span = tracer.spanBuilder("rxon.run " + task.type()).setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("rxon.job.id", task.jobId()).setAttribute("rxon.task.id", task.taskId())
                .setAttribute("rxon.worker.id", workerId).startSpan();
        return new Run(tracer, span, span.makeCurrent());
    }

    /** One task's span; closing it ends the span. */
    public static final class Run implements AutoCloseable {

        private final Tracer tracer;
        private final Span span;
        private final Scope scope;

        private Run(Tracer tracer, Span span, Scope scope) {
            this.tracer = tracer;
            this.span = span;
            this.scope = scope;
        }

        /** {@code work} in a child span named {@code name} (a blob transfer). */
        public <T> T step(String name, Supplier<T> work) {
            if (span == null) {
                return work.get();
            }
            Span step = tracer.spanBuilder(name).setParent(Context.root().with(span)).startSpan();
            try (Scope ignored = step.makeCurrent()) {
                return work.get();
            } catch (RuntimeException e) {
                step.recordException(e);
                step.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
                throw e;
            } finally {
                step.end();
            }
        }

        /** The task as the skill sees it: its events carry this run's context. */
        public TaskPayload carry(TaskPayload task) {
            Map<String, String> context = context();
            return context == null ? task : task.withTracing(context, task.metadata());
        }

        /** The result with this run's context in its metadata, and the span told how it ended. */
        public TaskResult finish(TaskResult result) {
            Map<String, String> context = context();
            if (context == null) {
                return result;
            }
            span.setAttribute("rxon.task.status", result.status());
            if (result.error() != null) {
                span.setStatus(StatusCode.ERROR, result.error().code());
            }
            Map<String, Object> metadata = new LinkedHashMap<>(result.metadata() == null ? Map.of() : result.metadata());
            metadata.put(RESULT_KEY, context);
            return new TaskResult(result.jobId(), result.taskId(), result.workerId(), result.originWorkerId(),
                    result.status(), result.data(), result.error(), result.dataMetadata(), result.security(), metadata,
                    result.timestamp(), result.costs());
        }

        private Map<String, String> context() {
            if (span == null || !span.getSpanContext().isValid()) {
                return null;
            }
            Map<String, String> carrier = new LinkedHashMap<>();
            W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), carrier, Map::put);
            return carrier;
        }

        @Override
        public void close() {
            if (span != null) {
                scope.close();
                span.end();
            }
        }
    }
}
