package io.rxon.orchestrator.events;

import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks reach the client's URL, and a failing receiver gets the call again. */
@QuarkusTest
class WebhookTest {

    @TestHTTPResource("/")
    URL root;

    private HttpServer receiver;
    private final BlockingQueue<JsonNode> calls = new LinkedBlockingQueue<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            JsonNode body = Json.tree(exchange.getRequestBody().readAllBytes());
            calls.add(body);
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void shouldPostWorkerEventsAndTheResultAndRetryAFailingReceiver() throws Exception {
        // given a job with a webhook whose receiver fails its first call
        failuresLeft.set(1);
        String skill = uniqueSkill("hooked");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of("webhook_url", hookUrl()));
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        long now = Instant.now().getEpochSecond();

        // when the worker reports progress and finishes
        worker.emitEvent(WorkerEventPayload.progress(UUID.randomUUID().toString(), workerId, task, 0.5, "half", now));
        JsonNode progress = calls.poll(10, TimeUnit.SECONDS);
        worker.sendResult(TaskResult.success(task, workerId, Map.of("answer", 42), now));

        // then the failed progress call came again, and the finish call carries the result
        assertThat(progress).isNotNull();
        assertThat(progress.get("event").asText()).isEqualTo("worker_event:progress");
        List<JsonNode> later = List.of(calls.poll(10, TimeUnit.SECONDS), calls.poll(10, TimeUnit.SECONDS));
        assertThat(later).extracting(call -> call.get("event").asText())
                .containsExactlyInAnyOrder("worker_event:progress", "job_finished");
        JsonNode retried = later.stream().filter(call -> call.get("event").asText().startsWith("worker")).findFirst()
                .orElseThrow();
        assertThat(retried.at("/payload/progress").asDouble()).isEqualTo(0.5);
        JsonNode finished = later.stream().filter(call -> call.get("event").asText().equals("job_finished"))
                .findFirst().orElseThrow();
        assertThat(finished.get("job_id").asText()).isEqualTo(jobId);
        assertThat(finished.get("status").asText()).isEqualTo("finished");
        assertThat(finished.at("/result/answer").asInt()).isEqualTo(42);
        assertThat(calls.poll(500, TimeUnit.MILLISECONDS)).as("nothing more").isNull();
    }

    @Test
    void shouldNotCallAnythingForJobsWithoutWebhook() throws Exception {
        String skill = uniqueSkill("quiet");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        submit(skill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        worker.sendResult(TaskResult.success(task, workerId, Map.of(), Instant.now().getEpochSecond()));

        assertThat(calls.poll(1, TimeUnit.SECONDS)).isNull();
    }
}
