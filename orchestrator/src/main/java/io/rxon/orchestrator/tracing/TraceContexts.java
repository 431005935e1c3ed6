package io.rxon.orchestrator.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * W3C trace context as the protocol carries it ({@code tracing_context} of a task,
 * {@code trace_context} of an event or a result's metadata): a map with {@code traceparent} and,
 * when there is one, {@code tracestate}.
 */
public final class TraceContexts {

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceContexts() {}

    /** The context of {@code span} as a map; null when the span is not a valid, sampled-or-not one. */
    public static Map<String, String> of(Span span) {
        if (!span.getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new LinkedHashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), carrier, Map::put);
        return carrier;
    }

    /** {@code parent} with the span context a map carries; {@code parent} itself when it carries none. */
    public static Context extract(Context parent, Map<String, String> carrier) {
        return carrier == null || carrier.get("traceparent") == null ? parent
                : W3CTraceContextPropagator.getInstance().extract(parent, carrier, MAP_GETTER);
    }

    /** A map of strings from a JSON value, or null when it is not an object with a {@code traceparent}. */
    public static Map<String, String> strings(Object value) {
        if (!(value instanceof Map<?, ?> map) || !(map.get("traceparent") instanceof String)) {
            return null;
        }
        Map<String, String> strings = new LinkedHashMap<>();
        map.forEach((key, entry) -> {
            if (key instanceof String name && entry instanceof String text) {
                strings.put(name, text);
            }
        });
        return strings;
    }
}
