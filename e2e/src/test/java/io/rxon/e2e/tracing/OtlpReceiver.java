package io.rxon.e2e.tracing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real OTLP/HTTP trace endpoint on 127.0.0.1 for tests: it accepts {@code POST /v1/traces}
 * bodies (uncompressed {@code application/x-protobuf}, as the Quarkus exporter sends them), answers
 * 200 and keeps every span, decoded from the protobuf wire format by hand (the few fields a test
 * needs: service name, trace id, span id, parent span id, name).
 */
final class OtlpReceiver implements AutoCloseable {

    /** One received span. */
    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name) {}

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                spans.addAll(decodeRequest(body.readAllBytes()));
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** ExportTraceServiceRequest: 1 = ResourceSpans (1 = Resource, 2 = ScopeSpans (2 = Span)). */
    static List<ReceivedSpan> decodeRequest(byte[] request) {
        List<ReceivedSpan> decoded = new ArrayList<>();
        for (Field resourceSpans : Field.all(request)) {
            if (resourceSpans.number != 1) {
                continue;
            }
            String service = null;
            List<byte[]> spanMessages = new ArrayList<>();
            for (Field field : Field.all(resourceSpans.bytes)) {
                if (field.number == 1) {
                    service = serviceName(field.bytes);
                } else if (field.number == 2) {
                    Field.all(field.bytes).stream().filter(span -> span.number == 2)
                            .forEach(span -> spanMessages.add(span.bytes));
                }
            }
            for (byte[] span : spanMessages) {
                decoded.add(span(service, span));
            }
        }
        return decoded;
    }

    /** Resource: 1 = KeyValue (1 = key, 2 = AnyValue (1 = string_value)). */
    private static String serviceName(byte[] resource) {
        for (Field attribute : Field.all(resource)) {
            if (attribute.number != 1) {
                continue;
            }
            String key = null;
            String value = null;
            for (Field part : Field.all(attribute.bytes)) {
                if (part.number == 1) {
                    key = part.text();
                } else if (part.number == 2) {
                    value = Field.all(part.bytes).stream().filter(any -> any.number == 1).map(Field::text)
                            .findFirst().orElse(null);
                }
            }
            if ("service.name".equals(key)) {
                return value;
            }
        }
        return null;
    }

    /** Span: 1 = trace_id, 2 = span_id, 4 = parent_span_id, 5 = name. */
    private static ReceivedSpan span(String service, byte[] span) {
        String traceId = null;
        String spanId = null;
        String parent = "";
        String name = null;
        for (Field field : Field.all(span)) {
            switch (field.number) {
                case 1 -> traceId = HexFormat.of().formatHex(field.bytes);
                case 2 -> spanId = HexFormat.of().formatHex(field.bytes);
                case 4 -> parent = HexFormat.of().formatHex(field.bytes);
                case 5 -> name = field.text();
                default -> { }
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parent, name);
    }

    /** One protobuf field; only length-delimited ones keep their bytes (the others are skipped). */
    private record Field(int number, byte[] bytes) {

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        static List<Field> all(byte[] message) {
            List<Field> fields = new ArrayList<>();
            int[] at = {0};
            while (at[0] < message.length) {
                long key = varint(message, at);
                int number = (int) (key >>> 3);
                switch ((int) (key & 7)) {
                    case 0 -> varint(message, at);
                    case 1 -> at[0] += 8;
                    case 5 -> at[0] += 4;
                    case 2 -> {
                        int length = (int) varint(message, at);
                        byte[] bytes = Arrays.copyOfRange(message, at[0], at[0] + length);
                        at[0] += length;
                        fields.add(new Field(number, bytes));
                    }
                    default -> throw new IllegalArgumentException("unsupported wire type in OTLP body: " + key);
                }
            }
            return fields;
        }

        private static long varint(byte[] message, int[] at) {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = message[at[0]++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
        }
    }
}
