package io.rxon.orchestrator.events;

import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.transport.Transport;
import io.restassured.http.ContentType;
import io.rxon.orchestrator.testing.Fixtures;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

/**
 * Webhooks reach the client's URL signed, a failing receiver gets the call again, and nothing
 * inside is reached: the test receiver listens on 127.0.0.2, the allow-listed address of the test
 * profile, while 127.0.0.1 stays refused like every other internal address.
 */
@QuarkusTest
class WebhookTest {

    private static final String SECRET = "test-webhook-secret";

    @TestHTTPResource("/")
    URL root;

    @Inject
    Pool pool;

    private HttpServer receiver;
    private HttpServer insideReceiver;
    private final BlockingQueue<JsonNode> calls = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> insideCalls = new LinkedBlockingQueue<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceivers() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            verifySignature(exchange.getRequestHeaders().getFirst("X-RXON-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-RXON-Signature"), raw);
            calls.add(Json.tree(raw));
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        insideReceiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        insideReceiver.createContext("/", exchange -> {
            insideCalls.add(Json.tree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        insideReceiver.start();
    }

    /** What a receiver does (README.md, "Webhooks"): recompute the HMAC and refuse stale timestamps. */
    private void verifySignature(String timestamp, String signature, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
            boolean fresh = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) <= 300;
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                    String.valueOf(signature).getBytes(StandardCharsets.UTF_8)) || !fresh) {
                badSignatures.add(timestamp + " " + signature);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            badSignatures.add(timestamp + " " + signature + " " + e);
        }
    }

    @AfterEach
    void stopReceivers() {
        receiver.stop(0);
        insideReceiver.stop(0);
    }

    private String hookUrl() {
        return "http://127.0.0.2:" + receiver.getAddress().getPort() + "/hook";
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
        assertThat(badSignatures).as("every call carried a valid, fresh signature").isEmpty();
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

    @Test
    void shouldPostEachHookedJobOfAConcurrentBurstOnceAndNothingForTheOthers() throws Exception {
        // given 24 jobs, every other one with a webhook, and four workers finishing them concurrently (so that
        // their terminal events arrive while a lookup is in flight and share the next one)
        String skill = uniqueSkill("burst");
        List<Transport> workers = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(registeredWorker(root, uniqueWorker("w"), skill));
        }
        java.util.Set<String> hooked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 24; i++) {
            if (i % 2 == 0) {
                hooked.add(submit(skill, Map.of("webhook_url", hookUrl())));
            } else {
                submit(skill, Map.of());
            }
        }

        // when the workers take and finish all of them
        AtomicInteger finished = new AtomicInteger();
        List<Thread> threads = new java.util.ArrayList<>();
        for (Transport worker : workers) {
            Thread thread = new Thread(() -> {
                while (finished.get() < 24) {
                    worker.pollTask(Duration.ofMillis(500), null, null).ifPresent(task -> {
                        worker.sendResult(TaskResult.success(task, worker.workerId(), Map.of("done", true),
                                Instant.now().getEpochSecond()));
                        finished.incrementAndGet();
                    });
                }
            });
            thread.start();
            threads.add(thread);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> finished.get() == 24);
        for (Thread thread : threads) {
            thread.join(5_000);
        }

        // then exactly the hooked jobs were posted, each once, as finished
        List<JsonNode> posted = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            calls.drainTo(posted);
            return posted.size() >= hooked.size();
        });
        assertThat(calls.poll(500, TimeUnit.MILLISECONDS)).as("nothing more").isNull();
        assertThat(posted).extracting(call -> call.get("job_id").asText())
                .containsExactlyInAnyOrderElementsOf(hooked);
        assertThat(posted).allSatisfy(call -> {
            assertThat(call.get("event").asText()).isEqualTo("job_finished");
            assertThat(call.at("/result/done").asBoolean()).isTrue();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1:%d/hook", "http://localhost:%d/hook", "http://[::1]:%d/hook", "http://0x7f000001:%d/hook",
        "http://2130706433:%d/hook", "http://0177.0.0.1:%d/hook", "http://127.1:%d/hook", "http://[::ffff:127.0.0.1]:%d/",
        "http://169.254.169.254:%d/latest/meta-data", "http://10.0.0.8:%d/", "http://172.16.0.1:%d/",
        "http://192.168.0.10:%d/", "http://[fd00::1]:%d/", "http://0.0.0.0:%d/", "http://user:pass@127.0.0.2:%d/hook",
        "http://user:pass@example.com:%d/hook", "ftp://example.com:%d/"})
    void shouldRefuseInternalWebhookUrlsAtSubmitAndStoreNothing(String pattern) throws Exception {
        // given a URL that points inside (or carries credentials, or is not http)
        String type = uniqueSkill("ssrf");
        String url = pattern.formatted(insideReceiver.getAddress().getPort());

        // when a job with it is submitted
        given().header("Authorization", "Bearer " + Fixtures.CLIENT_TOKEN).contentType(ContentType.JSON)
                .body(Json.writeString(Map.of("type", type, "webhook_url", url)))
                .when().post("/api/v1/jobs")

                // then it is refused with a problem naming the field, and no job exists
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("INVALID_INPUT_ERROR"))
                .body("detail", containsString("webhook_url"));
        assertThat(pool.preparedQuery("SELECT count(*) FROM jobs WHERE type = $1").execute(Tuple.of(type))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0)).isZero();
        assertThat(insideCalls.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void shouldNotCallAUrlWhoseNameResolvesToLoopbackWhenTheWebhookIsDelivered() throws Exception {
        // given a job whose stored URL names a host that resolves to loopback only at delivery (as a
        // job stored before this check, or a DNS name rebound after submit, would)
        String skill = uniqueSkill("rebound");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of("webhook_url", hookUrl()));
        pool.preparedQuery("UPDATE jobs SET webhook_url = $2 WHERE id = $1")
                .execute(Tuple.of(jobId, "http://localhost:" + insideReceiver.getAddress().getPort() + "/hook"))
                .await().atMost(Duration.ofSeconds(5));
        double refusedBefore = refusedWebhooks();
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when the job finishes
        worker.sendResult(TaskResult.success(task, workerId, Map.of(), Instant.now().getEpochSecond()));

        // then the call is refused (counted, logged once) and neither receiver was called
        await().atMost(Duration.ofSeconds(10)).until(() -> refusedWebhooks() > refusedBefore);
        assertThat(insideCalls.poll(500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(calls).isEmpty();
    }

    @Test
    void shouldAcceptAHostNameAtSubmitAndRefuseItAtDeliveryWhenItResolvesInside() throws Exception {
        // given this machine's own name: a plain name at submit (names are not resolved then), and on
        // Linux it resolves to loopback (127.0.0.1 or 127.0.1.1) or the machine's private address
        String ownName = InetAddress.getLocalHost().getHostName();
        assertThat(InetAddress.getAllByName(ownName)).as("precondition: %s resolves inside", ownName)
                .allMatch(address -> address.isLoopbackAddress() || address.isSiteLocalAddress());
        String skill = uniqueSkill("own-name");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        String jobId = submit(skill, Map.of("webhook_url",
                "http://" + ownName + ":" + insideReceiver.getAddress().getPort() + "/hook"));
        double refusedBefore = refusedWebhooks();
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when the job finishes
        worker.sendResult(TaskResult.success(task, workerId, Map.of(), Instant.now().getEpochSecond()));

        // then the call is refused after resolution and the receiver on 127.0.0.1 never hears of it
        await().atMost(Duration.ofSeconds(10)).until(() -> refusedWebhooks() > refusedBefore);
        assertThat(jobId).isNotBlank();
        assertThat(insideCalls.poll(500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(calls).isEmpty();
    }

    private static double refusedWebhooks() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("rxon_webhook_calls_total{")
                        && line.contains("outcome=\"refused\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
