package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import io.rxon.testsupport.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged orchestrator replicas on one PostgreSQL with job events on a real Kafka broker
 * (RXON_KAFKA_BOOTSTRAP_SERVERS): a client following a job on one replica sees the events the
 * other stored, through the topic; and a broker outage in the middle of a load neither stops the
 * jobs nor loses an event from the topic.
 */
class KafkaEventsIT {

    private static final String TOPIC = "rxon.job-events";

    @TempDir
    static Path dataDir;

    static KafkaBroker broker;
    static LocalCluster cluster;
    static ClientApi[] clients;

    @BeforeAll
    static void startTwoReplicasOnKafka() {
        broker = KafkaBroker.shared();
        Map<String, String> kafka = Map.of("RXON_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "RXON_ORCHESTRATOR_KAFKA_RELAY_INTERVAL", "50ms");
        cluster = new LocalCluster(dataDir, LocalCluster.Timing.FAST);
        cluster.startOrchestrator(kafka);
        int second = ManagedProcess.freePort();
        cluster.startReplica("replica-b", second, kafka);
        // The worker polls replica A only, so every task event is stored by A.
        cluster.startWorker("kafka-worker", Map.of("RXON_WORKER_CONCURRENCY", "4"));
        clients = new ClientApi[] {cluster.client(), new ClientApi("http://127.0.0.1:" + second,
                cluster.clientToken())};
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aClientFollowingAJobOnOneReplicaShouldSeeTheEventsTheOtherStoredThroughKafka() throws Exception {
        // given a job submitted on replica A, whose worker reports to A
        String jobId = clients[0].submit(Map.of("type", "sleep", "params", Map.of("seconds", 1.5)));

        // when a client follows it on replica B
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        clients[1].follow(jobId, seen::add).get(60, TimeUnit.SECONDS);

        // then B's stream carried every event up to the end, in the stored order
        List<String> types = seen.stream().map(event -> event.get("type").asText()).toList();
        assertThat(types).startsWith("job_created", "task_dispatched").contains("progress").endsWith("job_finished");
        assertThat(eventIds(seen)).containsExactlyElementsOf(history(clients[0], jobId));
    }

    @Test
    void aBrokerOutageInTheMiddleOfALoadShouldNeitherStopJobsNorLoseAnEvent() {
        try (TopicReader reader = new TopicReader(broker.bootstrapServers())) {
            // given a load of jobs submitted on both replicas
            List<String> jobIds = new ArrayList<>(submit(30));

            // when the broker stops in the middle of it, and more jobs come meanwhile
            broker.stop();
            jobIds.addAll(submit(30));

            // then every job still runs to its end while Kafka is away
            for (String jobId : jobIds) {
                assertThat(clients[0].awaitEnd(jobId, Duration.ofSeconds(60)).get("status").asText())
                        .isEqualTo("finished");
            }

            // when the broker is back and the load goes on
            broker.start();
            jobIds.addAll(submit(30));

            // then the topic holds every stored event of every job, each job's in its stored order
            Map<String, List<String>> stored = new LinkedHashMap<>();
            for (String jobId : jobIds) {
                clients[0].awaitEnd(jobId, Duration.ofSeconds(60));
                stored.put(jobId, history(clients[jobIds.indexOf(jobId) % 2], jobId));
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                reader.poll();
                return stored.entrySet().stream()
                        .allMatch(job -> reader.eventIds(job.getKey()).containsAll(job.getValue()));
            });
            for (Map.Entry<String, List<String>> job : stored.entrySet()) {
                assertThat(reader.eventIds(job.getKey())).as("job %s", job.getKey())
                        .containsExactlyElementsOf(job.getValue());
            }
        } finally {
            broker.start();
        }
    }

    private static List<String> submit(int jobs) {
        List<String> jobIds = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            jobIds.add(clients[i % 2].submit(Map.of("type", "sleep", "params", Map.of("seconds", 0.1))));
        }
        return jobIds;
    }

    /** A finished job's stream replays its stored history and ends. */
    private static List<String> history(ClientApi client, String jobId) {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        client.follow(jobId, events::add).orTimeout(30, TimeUnit.SECONDS).join();
        return eventIds(events);
    }

    private static List<String> eventIds(List<JsonNode> events) {
        return events.stream().map(event -> event.get("event_id").asText()).toList();
    }

    /** An outside consumer of the topic; a record sent twice (allowed: at least once) counts once, where first seen. */
    private static final class TopicReader implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final Map<String, Set<String>> byJob = new LinkedHashMap<>();

        TopicReader(String servers) {
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-reader-" + UUID.randomUUID());
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of(TOPIC));
        }

        void poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                JsonNode value = Json.tree(record.value().getBytes(StandardCharsets.UTF_8));
                assertThat(value.get("job_id").asText()).isEqualTo(record.key());
                byJob.computeIfAbsent(record.key(), key -> new LinkedHashSet<>())
                        .add(value.get("event").get("event_id").asText());
            });
        }

        List<String> eventIds(String jobId) {
            return List.copyOf(byJob.getOrDefault(jobId, Set.of()));
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
