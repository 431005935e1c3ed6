package io.rxon.orchestrator.job;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.orchestrator.tracing.TraceContexts;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One trace per job across processes (docs/TRACING.md): the submit continues the client's
 * {@code traceparent} (or starts a trace), its context is stored with the job under the reserved
 * metadata key {@link #METADATA_KEY}, each claim opens a dispatch span spanning the task's time in
 * the queue whose context the task carries to the worker as {@code tracing_context}, and results
 * and events that bring a trace context back get their own spans. With the SDK off (no
 * {@code RXON_OTLP_ENDPOINT}) nothing is created or stored: each method hands its work through.
 */
@ApplicationScoped
public class JobTracing {

    /** Where a job keeps its trace context between submit and claim: a key of its (stored) metadata. */
    public static final String METADATA_KEY = "rxon_trace_context";

    /** Where a result brings the worker's trace context back: a key of its {@code metadata}. */
    public static final String RESULT_KEY = "trace_context";

    private final Tracer tracer;

    @Inject
    public JobTracing(OpenTelemetry openTelemetry,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean disabled) {
        this(disabled ? null : openTelemetry.getTracer("io.rxon.orchestrator"));
    }

    private JobTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** No spans; stored contexts are still handed to workers. */
    public static JobTracing off() {
        return new JobTracing((Tracer) null);
    }

    /**
     * Runs a submission in a {@code rxon.submit} span under the request's trace (the HTTP span,
     * else the {@code traceparent} header), giving it the request with that span's context in its
     * metadata.
     */
    public Uni<String> submit(JobRequest request, String traceparent, String tracestate,
            Function<JobRequest, Uni<String>> action) {
        if (tracer == null) {
            return action.apply(request);
        }
        Context parent = Span.current().getSpanContext().isValid() ? Context.current()
                : TraceContexts.extract(Context.root(), header(traceparent, tracestate));
        Span span = tracer.spanBuilder("rxon.submit").setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setAttribute("rxon.job.type", request.type()).startSpan();
        Map<String, Object> metadata = new LinkedHashMap<>(request.metadata() == null ? Map.of() : request.metadata());
        metadata.put(METADATA_KEY, TraceContexts.of(span));
        return ended(span, Uni.createFrom().deferred(() -> action.apply(request.withMetadata(metadata)))
                .invoke(jobId -> span.setAttribute("rxon.job.id", jobId)));
    }

    /**
     * The claimed task with its job's trace context moved from metadata to {@code tracing_context};
     * with tracing on, that of a {@code rxon.dispatch} span from when the task was queued until now.
     */
    public ClaimedTask dispatched(ClaimedTask claimed) {
        TaskPayload task = claimed.payload();
        Map<String, Object> metadata = task.metadata();
        if (metadata == null || !metadata.containsKey(METADATA_KEY)) {
            return claimed;
        }
        Map<String, String> context = TraceContexts.strings(metadata.get(METADATA_KEY));
        Map<String, Object> rest = new LinkedHashMap<>(metadata);
        rest.remove(METADATA_KEY);
        if (tracer != null && context != null) {
            long now = System.currentTimeMillis();
            Span span = tracer.spanBuilder("rxon.dispatch").setParent(TraceContexts.extract(Context.root(), context))
                    .setSpanKind(SpanKind.PRODUCER).setStartTimestamp(now - claimed.queuedMillis(), TimeUnit.MILLISECONDS)
                    .setAttribute("rxon.job.id", task.jobId()).setAttribute("rxon.task.id", task.taskId())
                    .setAttribute("rxon.worker.id", claimed.workerId()).setAttribute("rxon.attempt", claimed.attempt())
                    .setAttribute("rxon.queued_ms", claimed.queuedMillis()).startSpan();
            context = TraceContexts.of(span);
            span.end(now, TimeUnit.MILLISECONDS);
        }
        return new ClaimedTask(task.withTracing(context, rest.isEmpty() ? null : rest), claimed.workerId(),
                claimed.attempt(), claimed.queuedMillis(), claimed.dispatched());
    }

    /** The intake of a result in a {@code rxon.result} span under the trace context it brings, if any. */
    public Uni<ResultOutcome> result(TaskResult result, Uni<ResultOutcome> intake) {
        Map<String, String> context = tracer == null || result.metadata() == null ? null
                : TraceContexts.strings(result.metadata().get(RESULT_KEY));
        if (context == null) {
            return intake;
        }
        Span span = tracer.spanBuilder("rxon.result").setParent(TraceContexts.extract(Context.root(), context))
                .setSpanKind(SpanKind.CONSUMER).setAttribute("rxon.job.id", result.jobId())
                .setAttribute("rxon.task.id", result.taskId()).setAttribute("rxon.task.status", result.status())
                .startSpan();
        return ended(span, intake.invoke(outcome -> span.setAttribute("rxon.result.outcome",
                outcome.response().transition() != null ? outcome.response().transition()
                        : outcome.response().status() + ":" + outcome.response().reason())));
    }

    /** The intake of a worker event in a {@code rxon.event} span under its {@code trace_context}, if any. */
    public <T> Uni<T> event(WorkerEventPayload event, Uni<T> intake) {
        Map<String, String> context = tracer == null ? null : TraceContexts.strings(event.traceContext());
        if (context == null) {
            return intake;
        }
        Span span = tracer.spanBuilder("rxon.event").setParent(TraceContexts.extract(Context.root(), context))
                .setSpanKind(SpanKind.CONSUMER).setAttribute("rxon.event.type", event.eventType())
                .setAttribute("rxon.job.id", String.valueOf(event.targetJobId())).startSpan();
        return ended(span, intake);
    }

    private static <T> Uni<T> ended(Span span, Uni<T> work) {
        return work.onTermination().invoke((item, failure, cancelled) -> {
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            }
            span.end();
        });
    }

    private static Map<String, String> header(String traceparent, String tracestate) {
        if (traceparent == null) {
            return null;
        }
        Map<String, String> carrier = new LinkedHashMap<>();
        carrier.put("traceparent", traceparent);
        if (tracestate != null) {
            carrier.put("tracestate", tracestate);
        }
        return carrier;
    }
}
