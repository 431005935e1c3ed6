package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A region of several replicas under one parent identity (docs/HOLARCHY.md): packaged processes, a
 * root orchestrator, and a region whose database is its first orchestrator's, with two more replicas
 * that are both configured with the root as their parent. Only one of them talks to the root (it
 * holds the uplink's lease); when it is killed, the other takes over and no accepted job is lost.
 */
class HolarchyReplicasIT {

    static final String REGION = "region-r";
    static final String RUNS_THE_UPLINK = "runs the uplink to the parent";

    @TempDir
    static Path dataDir;

    static LocalCluster root;
    static LocalCluster region;
    static ClientApi client;
    static List<ManagedProcess> uplinks = new ArrayList<>();

    @BeforeAll
    static void startHolarchy() {
        root = new LocalCluster(dataDir.resolve("root"), LocalCluster.Timing.FAST);
        root.startOrchestrator();
        region = new LocalCluster(dataDir.resolve("region"), LocalCluster.Timing.FAST);
        // the first orchestrator holds the database and the workers; it has no parent of its own
        region.startOrchestrator(Map.of("RXON_CLIENT_API_ENABLED", "false"));
        Map<String, String> parent = Map.of("RXON_PARENT_URL", root.socketUrl(), "RXON_PARENT_WORKER_ID", REGION,
                "RXON_PARENT_TOKEN", root.workerToken(), "RXON_PARENT_HEARTBEAT_INTERVAL", "1s",
                "RXON_PARENT_POLL_TIMEOUT", "5s");
        uplinks.add(region.startReplica("region-b", ManagedProcess.freePort(), parent));
        uplinks.add(region.startReplica("region-c", ManagedProcess.freePort(), parent));
        region.startWorker("leaf", Map.of());
        client = root.client();
        await().atMost(Duration.ofSeconds(60)).until(() -> HolarchyIT.workerAt(root, REGION).map(view -> view
                .path("registration").path("supported_skills").toString().contains("echo")).orElse(false));
    }

    @AfterAll
    static void stopHolarchy() {
        if (region != null) {
            region.close();
        }
        if (root != null) {
            root.close();
        }
    }

    @Test
    void shouldTalkToTheParentFromOneReplicaAndLetAnotherTakeOverWhenItIsKilled() {
        // given two replicas configured with the same parent identity
        // then exactly one of them runs the uplink
        ManagedProcess holder = await().atMost(Duration.ofSeconds(30)).until(HolarchyReplicasIT::holder,
                list -> list.size() == 1).get(0);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> holder().size() == 1);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            accepted.add(client.submit(Map.of("type", "echo", "params", Map.of("before", i))));
        }
        for (String jobId : accepted) {
            assertThat(client.awaitEnd(jobId, Duration.ofSeconds(60)).path("status").asText()).isEqualTo("finished");
        }

        // when the holder is killed with SIGKILL while jobs are being accepted at the root
        ManagedProcess survivor = uplinks.stream().filter(process -> process != holder).findFirst().orElseThrow();
        holder.kill();
        for (int i = 0; i < 5; i++) {
            accepted.add(client.submit(Map.of("type", "echo", "params", Map.of("after", i))));
        }

        // then the other replica takes the uplink over once the lease ran out, and every accepted job finishes
        await().atMost(Duration.ofSeconds(40)).until(() -> log(survivor).contains(RUNS_THE_UPLINK));
        for (String jobId : accepted) {
            assertThat(client.awaitEnd(jobId, Duration.ofSeconds(90)).path("status").asText()).as(jobId)
                    .isEqualTo("finished");
        }
        assertThat(client.job(accepted.get(accepted.size() - 1)).path("assigned_worker_id").asText())
                .isEqualTo(REGION);
    }

    /** The replicas whose log says they run the uplink. */
    static List<ManagedProcess> holder() {
        return uplinks.stream().filter(process -> log(process).contains(RUNS_THE_UPLINK)).toList();
    }

    static String log(ManagedProcess process) {
        try {
            return Files.readString(process.log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
