package io.rxon.e2e.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rxon.common.json.Json;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.transport.Transport;
import io.rxon.common.transport.Transports;
import io.rxon.e2e.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace per job across processes: the packaged orchestrator and a packaged worker, both
 * exporting over OTLP/HTTP to a receiver in this test, continue the {@code traceparent} a client
 * submitted with, so submit, dispatch (with the time in the queue), the worker's run and its blob
 * steps, its progress events and the result intake are spans of that one trace, each the child of
 * the one before.
 */
class TracingIT {

    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";

    @TempDir
    Path dataDir;

    @Test
    void givenAClientTraceparentWhenItsJobRunsOnAPackagedWorkerThenAllSpansShareItsTraceAndChain()
            throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver(); LocalCluster cluster = new LocalCluster(dataDir,
                LocalCluster.Timing.FAST)) {
            Map<String, String> tracing = Map.of("RXON_OTLP_ENDPOINT", receiver.endpoint(),
                    "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
            cluster.startOrchestrator(tracing);

            // given a job submitted with the client's traceparent, run by a packaged worker that emits progress
            String jobId = submit(cluster, "sleep", Map.of("seconds", 0.3), CLIENT_TRACE);
            cluster.startWorker("traced-worker", tracing);
            assertThat(cluster.client().awaitEnd(jobId, Duration.ofSeconds(60)).get("status").asText())
                    .isEqualTo("finished");

            // then the receiver gets the whole chain in the client's trace, from both processes
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(names(receiver, CLIENT_TRACE))
                    .contains("rxon.submit", "rxon.dispatch", "rxon.run sleep", "rxon.blob.restore",
                            "rxon.event", "rxon.result"));
            Map<String, OtlpReceiver.ReceivedSpan> spans = receiver.spans().stream()
                    .filter(span -> span.traceId().equals(CLIENT_TRACE))
                    .collect(Collectors.toMap(OtlpReceiver.ReceivedSpan::name, span -> span, (a, b) -> a));
            OtlpReceiver.ReceivedSpan submit = spans.get("rxon.submit");
            OtlpReceiver.ReceivedSpan dispatch = spans.get("rxon.dispatch");
            OtlpReceiver.ReceivedSpan run = spans.get("rxon.run sleep");
            assertThat(submit.service()).isEqualTo("rxon-orchestrator");
            assertThat(run.service()).isEqualTo("rxon-worker");
            assertThat(dispatch.parentSpanId()).isEqualTo(submit.spanId());
            assertThat(run.parentSpanId()).isEqualTo(dispatch.spanId());
            assertThat(spans.get("rxon.blob.restore").parentSpanId()).isEqualTo(run.spanId());
            assertThat(spans.get("rxon.event").parentSpanId()).isEqualTo(run.spanId());
            assertThat(spans.get("rxon.result").parentSpanId()).isEqualTo(run.spanId());
            assertThat(spans.get("rxon.result").service()).isEqualTo("rxon-orchestrator");
        }
    }

    @Test
    void givenAClientTraceparentWhenAWorkerPollsTheTaskThenItsTracingContextContinuesThatTrace() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver(); LocalCluster cluster = new LocalCluster(dataDir,
                LocalCluster.Timing.FAST)) {
            cluster.startOrchestrator(Map.of("RXON_OTLP_ENDPOINT", receiver.endpoint(),
                    "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms"));
            try (Transport worker = Transports.create(cluster.orchestratorUrl(), "trace-probe",
                    cluster.workerToken())) {
                worker.register(new WorkerRegistration("trace-probe", null, List.of(SkillInfo.named("trace_probe")),
                        null, null, null, null, null, null, null, null, null, null));
                // given a job submitted with a traceparent, and one without
                String traced = submit(cluster, "trace_probe", Map.of("n", 1), CLIENT_TRACE);

                // when the worker polls it
                TaskPayload task = worker.pollTask(Duration.ofSeconds(10), null, null).orElseThrow();

                // then the task's tracing_context is a W3C traceparent in the client's trace, under a new span
                assertThat(task.jobId()).isEqualTo(traced);
                String traceparent = task.tracingContext().get("traceparent");
                assertThat(traceparent).startsWith("00-" + CLIENT_TRACE + "-").doesNotContain(CLIENT_SPAN);
                // the job kept it in its metadata under a reserved key, which the task does not carry
                assertThat(task.metadata() == null ? Map.of() : task.metadata()).doesNotContainKey("rxon_trace_context");
                assertThat(worker.sendResult(TaskResult.success(task, "trace-probe", Map.of("ok", true),
                        Instant.now().getEpochSecond()))).isTrue();

                String fresh = submit(cluster, "trace_probe", Map.of("n", 2), null);
                TaskPayload untraced = worker.pollTask(Duration.ofSeconds(10), null, null).orElseThrow();
                assertThat(untraced.jobId()).isEqualTo(fresh);
                // a job submitted without one starts a trace of its own
                assertThat(untraced.tracingContext().get("traceparent")).startsWith("00-")
                        .doesNotContain(CLIENT_TRACE);
                worker.sendResult(TaskResult.success(untraced, "trace-probe", Map.of(), Instant.now().getEpochSecond()));
            }
        }
    }

    private static List<String> names(OtlpReceiver receiver, String traceId) {
        return receiver.spans().stream().filter(span -> traceId.equals(span.traceId()))
                .map(OtlpReceiver.ReceivedSpan::name).toList();
    }

    /** Submits over plain HTTP so the request can carry a {@code traceparent}. */
    private static String submit(LocalCluster cluster, String type, Map<String, Object> params, String traceId)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.orchestratorUrl() + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + cluster.clientToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(Map.of("type", type, "params", params))));
        Optional.ofNullable(traceId).ifPresent(id -> request.header("traceparent", "00-" + id + "-" + CLIENT_SPAN
                + "-01"));
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(202);
        return Json.tree(response.body()).get("job_id").asText();
    }
}
