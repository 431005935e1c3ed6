package io.rxon.orchestrator.kafka;

import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.events.JobEventBus;
import io.rxon.orchestrator.testing.KafkaTestResource;
import io.rxon.orchestrator.testing.OtherInstancePool;
import io.rxon.testsupport.KafkaBroker;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import com.sun.net.httpserver.HttpServer;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Job events on a real Kafka broker (RXON_KAFKA_BOOTSTRAP_SERVERS set): the relay publishes what
 * the database stored, keyed by job, in each job's order, to a topic outside systems can read; a
 * transaction that commits after later ones is not skipped; events another orchestrator stored
 * reach this one's subscribers through the topic; webhooks are called from the topic.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class KafkaEventsTest {

    private static final String TOPIC = "rxon.job-events";

    @TestHTTPResource("/")
    URL root;

    @Inject
    Pool pool;

    @Inject
    JobEventBus bus;

    @Inject
    Vertx vertx;

    @Test
    void shouldPublishEveryEventOfEveryJobInTheJobsOrderKeyedByJob() {
        // given jobs that run to their end, each with progress on the way
        String skill = uniqueSkill("kafka-order");
        String workerId = uniqueWorker("kafka-order");
        Transport worker = registeredWorker(root, workerId, skill);
        List<String> jobIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobIds.add(submit(skill, Map.of()));
        }
        for (int i = 0; i < jobIds.size(); i++) {
            TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
            long now = Instant.now().getEpochSecond();
            worker.emitEvent(WorkerEventPayload.progress(UUID.randomUUID().toString(), workerId, task, 0.5, "half",
                    now));
            worker.emitEvent(WorkerEventPayload.progress(UUID.randomUUID().toString(), workerId, task, 0.9, "nearly",
                    now));
            worker.sendResult(TaskResult.success(task, workerId, Map.of("i", i), now));
        }

        // when another system reads the topic
        Map<String, List<String>> stored = new LinkedHashMap<>();
        for (String jobId : jobIds) {
            stored.put(jobId, storedEventIds(jobId));
        }
        int expected = stored.values().stream().mapToInt(List::size).sum();
        try (TopicReader reader = new TopicReader(KafkaBroker.shared().bootstrapServers(), TOPIC)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.poll().stream()
                    .filter(record -> jobIds.contains(record.key())).count() >= expected);

            // then each job's events are there once, under its id, in the order the database stored them
            for (String jobId : jobIds) {
                List<ConsumerRecord<String, String>> ofJob = reader.poll().stream()
                        .filter(record -> jobId.equals(record.key())).toList();
                assertThat(ofJob.stream().map(TopicReader::eventId).toList())
                        .containsExactlyElementsOf(stored.get(jobId));
                assertThat(ofJob.stream().map(TopicReader::partition).distinct()).hasSize(1);
                EventRecord last = EventRecord.parse(ofJob.get(ofJob.size() - 1).value());
                assertThat(last.event().type()).isEqualTo("job_finished");
                assertThat(last.jobId()).isEqualTo(jobId);
                assertThat(last.clientId()).isEqualTo("default");
                assertThat(Instant.parse(last.time()).toEpochMilli()).isEqualTo(last.event().createdAt());
            }
            assertThat(reader.values()).allSatisfy(value -> assertThat(value).containsKeys("event", "job_id",
                    "client_id", "time"));
        }
    }

    @Test
    void shouldRelayAnEventWhoseTransactionCommitsAfterALaterOneAndFeedItToThisInstancesSubscribers() {
        // given another orchestrator's job, and this instance's subscribers listening
        Pool other = OtherInstancePool.open(vertx, "rxon-kafka-other", 2);
        String jobId = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        other.preparedQuery("""
                        INSERT INTO jobs (id, client_id, type, status, max_attempts, created_at, updated_at)
                        VALUES ($1, 'default', 'elsewhere', 'waiting_for_worker', 3, $2, $2)""")
                .execute(Tuple.of(jobId, now)).await().atMost(Duration.ofSeconds(5));
        List<String> heard = new CopyOnWriteArrayList<>();
        Cancellable subscription = bus.stream().filter(event -> jobId.equals(event.jobId()))
                .subscribe().with(event -> heard.add(event.eventId()));

        try (TopicReader reader = new TopicReader(KafkaBroker.shared().bootstrapServers(), TOPIC)) {
            // when one transaction stores an event and stays open while a later one stores and commits its own
            SqlConnection slow = other.getConnection().await().atMost(Duration.ofSeconds(5));
            Transaction open = slow.begin().await().atMost(Duration.ofSeconds(5));
            insertEvent(slow, "late-" + jobId, jobId);
            insertEvent(other, "early-" + jobId, jobId);
            await().atMost(Duration.ofSeconds(30)).until(() -> eventIds(reader, jobId).contains("early-" + jobId));
            // and the first commits only then
            open.commit().await().atMost(Duration.ofSeconds(5));
            slow.close().await().atMost(Duration.ofSeconds(5));

            // then the late event is relayed too, and both reached this instance's subscribers through Kafka
            await().atMost(Duration.ofSeconds(30)).until(() -> eventIds(reader, jobId).contains("late-" + jobId));
            assertThat(eventIds(reader, jobId)).containsExactly("early-" + jobId, "late-" + jobId);
            await().atMost(Duration.ofSeconds(10)).until(() -> Set.copyOf(heard).size() == 2);
            assertThat(heard).containsExactly("early-" + jobId, "late-" + jobId);
        } finally {
            subscription.cancel();
            other.close().await().atMost(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldCallAJobsWebhookOnceForItsEndThroughTheSharedConsumerGroup() throws Exception {
        // given a receiver, and a job that names it
        List<String> calls = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        receiver.createContext("/hook", exchange -> {
            calls.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String skill = uniqueSkill("kafka-hook");
            String workerId = uniqueWorker("kafka-hook");
            Transport worker = registeredWorker(root, workerId, skill);
            String jobId = submit(skill, Map.of("webhook_url",
                    "http://127.0.0.2:" + receiver.getAddress().getPort() + "/hook"));

            // when it finishes
            TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
            worker.sendResult(TaskResult.success(task, workerId, Map.of("done", true), Instant.now().getEpochSecond()));

            // then the receiver is called for its end, once, though the call now comes from the topic
            await().atMost(Duration.ofSeconds(30)).until(() -> !calls.isEmpty());
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> calls.size() == 1);
            assertThat(calls.get(0)).contains("\"event\":\"job_finished\"").contains(jobId);
        } finally {
            receiver.stop(0);
        }
    }

    private static void insertEvent(io.vertx.mutiny.sqlclient.SqlClient client, String eventId, String jobId) {
        client.preparedQuery("""
                        INSERT INTO job_events (event_id, job_id, type, created_at) VALUES ($1, $2, 'custom', $3)""")
                .execute(Tuple.of(eventId, jobId, System.currentTimeMillis())).await().atMost(Duration.ofSeconds(5));
    }

    private List<String> storedEventIds(String jobId) {
        List<String> ids = new ArrayList<>();
        pool.preparedQuery("SELECT event_id FROM job_events WHERE job_id = $1 ORDER BY seq").execute(Tuple.of(jobId))
                .await().atMost(Duration.ofSeconds(5)).forEach(row -> ids.add(row.getString("event_id")));
        return ids;
    }

    private static List<String> eventIds(TopicReader reader, String jobId) {
        return reader.poll().stream().filter(record -> jobId.equals(record.key())).map(TopicReader::eventId).toList();
    }
}
