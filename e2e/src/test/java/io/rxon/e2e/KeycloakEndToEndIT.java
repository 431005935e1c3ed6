package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.testsupport.KeycloakServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that authenticates with Keycloak (client-credentials, tokens living 8 s, Ed25519
 * signatures) against the packaged orchestrator in mixed mode, with a real Keycloak: it keeps
 * working across many token expiries, and rides out a Keycloak outage by backing off.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakEndToEndIT {

    @TempDir
    static Path dataDir;

    static KeycloakServer keycloak;
    static LocalCluster cluster;
    static ClientApi client;
    static ManagedProcess worker;

    @BeforeAll
    static void start() {
        keycloak = KeycloakServer.start();
        cluster = new LocalCluster(dataDir, LocalCluster.Timing.FAST);
        cluster.startOrchestrator(Map.of("RXON_AUTH_MODE", "mixed", "QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl(),
                // a restarted Keycloak keeps its keys; refetch them soon anyway when an unknown key appears
                "QUARKUS_OIDC_TOKEN_FORCED_JWK_REFRESH_INTERVAL", "5S"));
        worker = cluster.startWorker("rxon-short-lived-worker", Map.of(
                "RXON_OIDC_TOKEN_URL", keycloak.tokenEndpoint(),
                "RXON_OIDC_CLIENT_ID", "rxon-short-lived-worker",
                "RXON_OIDC_CLIENT_SECRET", "change-me-short-lived-worker-secret",
                "RXON_WORKER_TOKEN", "",
                "RXON_ORCHESTRATOR_URL", cluster.socketUrl()));
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    @Order(1)
    void shouldKeepRunningTasksAcrossTokenExpiries() {
        // given tokens that live 8 s, when jobs keep coming for 20 s
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            jobs.add(client.submit(Map.of("type", "sleep", "params", Map.of("seconds", 2.5))));
        }

        // then every one finishes on its first attempt, on the Keycloak worker
        for (String jobId : jobs) {
            JsonNode job = client.awaitEnd(jobId, Duration.ofSeconds(90));
            assertThat(job.get("status").asText()).isEqualTo("finished");
            assertThat(job.get("attempts").asInt()).isEqualTo(1);
            assertThat(job.get("assigned_worker_id").asText()).isEqualTo("rxon-short-lived-worker");
        }
    }

    @Test
    @Order(2)
    void shouldBackOffWhileKeycloakIsDownAndRecover() throws Exception {
        // given Keycloak goes down for longer than a token lives
        keycloak.stop();
        Thread.sleep(12_000);
        String during = client.submit(Map.of("type", "echo", "params", Map.of("when", "outage")));

        // when it comes back
        keycloak.restart();

        // then the worker recovers by itself and runs what was queued meanwhile
        JsonNode job = client.awaitEnd(during, Duration.ofSeconds(120));
        assertThat(job.get("status").asText()).isEqualTo("finished");
        assertThat(job.get("assigned_worker_id").asText()).isEqualTo("rxon-short-lived-worker");
        assertThat(worker.isAlive()).isTrue();
    }
}
