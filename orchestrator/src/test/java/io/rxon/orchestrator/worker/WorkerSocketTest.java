package io.rxon.orchestrator.worker;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.job;
import static io.rxon.orchestrator.testing.Fixtures.registeredWorker;
import static io.rxon.orchestrator.testing.Fixtures.registration;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.transport;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.testing.RecordingSocketListener;
import io.rxon.common.transport.RegistrationResponse;
import io.rxon.common.transport.SocketSession;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.testing.Fixtures;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The worker socket: upgrade authentication, one socket per worker, cancel commands, push dispatch. */
@QuarkusTest
class WorkerSocketTest {

    @TestHTTPResource("/")
    URL root;

    private Transport pushWorker(String workerId, String skill) {
        Transport transport = transport(root, workerId);
        transport.register(registration(workerId, List.of(skill), new Resources(null, Map.of("cpu_cores", 2)),
                Map.of(Protocol.EXTRA_PUSH_DISPATCH, true)));
        return transport;
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    @Test
    void shouldConsentToPushDispatchAtRegistrationOnlyForAWorkerThatAnnouncedIt() {
        // given a worker announcing push dispatch and a reference worker
        String pushId = uniqueWorker("push");
        String referenceId = uniqueWorker("reference");
        String skill = uniqueSkill("consent");

        // when both register
        RegistrationResponse push = transport(root, pushId).register(registration(pushId, List.of(skill),
                new Resources(null, Map.of("cpu_cores", 2)), Map.of(Protocol.EXTRA_PUSH_DISPATCH, true)));
        RegistrationResponse reference = transport(root, referenceId).register(registration(referenceId,
                List.of(skill), new Resources(null, Map.of("cpu_cores", 2)), Map.of(Protocol.EXTRA_WEBSOCKETS, true)));

        // then only the first hears the consent
        assertThat(push.status()).isEqualTo("registered");
        assertThat(push.pushDispatch()).isTrue();
        assertThat(reference.status()).isEqualTo("registered");
        assertThat(reference.pushDispatch()).isFalse();
    }

    @Test
    void shouldPushTasksAgainstCreditsAndAcknowledgeResultsOverTheSocket() throws Exception {
        // given a push worker with one credit on an open socket
        String skill = uniqueSkill("pushed");
        String workerId = uniqueWorker("push");
        Transport worker = pushWorker(workerId, skill);
        RecordingSocketListener recorder = new RecordingSocketListener();
        SocketSession session = worker.openSocket(recorder, false);
        recorder.awaitConnected();
        session.grantCredits(1).get(5, TimeUnit.SECONDS);

        // when two jobs arrive
        String first = submit(skill, Map.of("params", Map.of("n", 1)));
        String second = submit(skill, Map.of("params", Map.of("n", 2)));

        // then only one is pushed (one credit); its result is acknowledged over the socket
        TaskPayload task = recorder.tasks.poll(5, TimeUnit.SECONDS);
        assertThat(task).isNotNull();
        assertThat(task.jobId()).isEqualTo(first);
        assertThat(recorder.tasks.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(session.sendResult(TaskResult.success(task, workerId, Map.of("n", 1), now()))
                .get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(job(first)).containsEntry("status", "finished");

        // and a new credit brings the second one
        session.grantCredits(1).get(5, TimeUnit.SECONDS);
        TaskPayload next = recorder.tasks.poll(5, TimeUnit.SECONDS);
        assertThat(next).isNotNull();
        assertThat(next.jobId()).isEqualTo(second);
        assertThat(session.sendResult(TaskResult.success(next, workerId, Map.of(), now())).get(5, TimeUnit.SECONDS))
                .isTrue();
        assertThat(session.sendResult(TaskResult.success(next, workerId, Map.of(), now())).get(5, TimeUnit.SECONDS))
                .as("a duplicate result is acknowledged as ignored").isFalse();
        session.close();
    }

    @Test
    void shouldFallBackToLongPollWhenTheSocketIsClosed() throws Exception {
        String skill = uniqueSkill("fallback");
        String workerId = uniqueWorker("push");
        Transport worker = pushWorker(workerId, skill);
        RecordingSocketListener recorder = new RecordingSocketListener();
        SocketSession session = worker.openSocket(recorder, false);
        recorder.awaitConnected();
        session.close();
        recorder.awaitDisconnected();

        String jobId = submit(skill, Map.of());

        assertThat(worker.pollTask(Duration.ofSeconds(5), null, null)).hasValueSatisfying(task ->
                assertThat(task.jobId()).isEqualTo(jobId));
    }

    @Test
    void shouldPushCancelToTheWorkerRunningTheTask() throws Exception {
        // given a reference-style worker (no push) that polled a task and keeps its socket open
        String skill = uniqueSkill("cancelpush");
        String workerId = uniqueWorker("w");
        Transport worker = registeredWorker(root, workerId, skill);
        RecordingSocketListener recorder = new RecordingSocketListener();
        SocketSession session = worker.openSocket(recorder, false);
        recorder.awaitConnected();
        String jobId = submit(skill, Map.of());
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();

        // when the client cancels
        given().header("Authorization", "Bearer " + CLIENT_TOKEN).when().post("/api/v1/jobs/" + jobId + "/cancel")
                .then().statusCode(200);

        // then cancel_task arrives at once, naming the task
        WorkerCommand command = recorder.commands.poll(5, TimeUnit.SECONDS);
        assertThat(command).isNotNull();
        assertThat(command.command()).isEqualTo(Protocol.COMMAND_CANCEL_TASK);
        assertThat(command.taskId()).isEqualTo(task.taskId());
        assertThat(command.jobId()).isEqualTo(jobId);
        session.close();
    }

    @Test
    void shouldCloseTheOlderSocketWith1008WhenTheWorkerConnectsAgain() throws Exception {
        String workerId = uniqueWorker("twice");
        Transport worker = registeredWorker(root, workerId, uniqueSkill("x"));
        RecordingSocketListener first = new RecordingSocketListener();
        worker.openSocket(first, false);
        first.awaitConnected();

        RecordingSocketListener second = new RecordingSocketListener();
        SocketSession newer = worker.openSocket(second, false);

        second.awaitConnected();
        assertThat(first.awaitDisconnected()).isEqualTo(1008);
        assertThat(newer.isOpen()).isTrue();
        newer.close();
    }

    @Test
    void shouldNotCountCreditsSentOnAReplacedSocketTowardsTheNewerOne() throws Exception {
        // given a push worker whose older socket was replaced by a newer one holding one credit, the one
        // task that credit allows pushed, and a second task waiting
        String skill = uniqueSkill("replaced");
        String workerId = uniqueWorker("push");
        Transport worker = pushWorker(workerId, skill);
        CompletableFuture<Integer> olderClosed = new CompletableFuture<>();
        CompletableFuture<Void> olderLingers = new CompletableFuture<>();
        WebSocket older = HttpClient.newHttpClient().newWebSocketBuilder()
                .header(Protocol.HEADER_WORKER_TOKEN, Fixtures.WORKER_TOKEN)
                .buildAsync(URI.create(root.toString().replaceFirst("^http", "ws") + "_worker/ws/" + workerId),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                                olderClosed.complete(statusCode);
                                // the answering close waits, so the older socket can still send a frame
                                return olderLingers;
                            }
                        }).join();
        RecordingSocketListener recorder = new RecordingSocketListener();
        SocketSession newer = worker.openSocket(recorder, false);
        recorder.awaitConnected();
        assertThat(olderClosed.get(15, TimeUnit.SECONDS)).isEqualTo(1008);
        newer.grantCredits(1).get(5, TimeUnit.SECONDS);
        String first = submit(skill, Map.of("params", Map.of("n", 1)));
        String second = submit(skill, Map.of("params", Map.of("n", 2)));
        assertThat(RecordingSocketListener.next(recorder.tasks).jobId()).isEqualTo(first);

        // when the older socket, in its last moments, grants three credits
        older.sendText("{\"frame\":\"credit\",\"slots\":3}", true).get(5, TimeUnit.SECONDS);
        olderLingers.complete(null);

        // then they do not reach the newer socket: nothing more is pushed to it
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(recorder.tasks::isEmpty);
        // and the second task waits for a credit of the newer socket's own
        newer.grantCredits(1).get(5, TimeUnit.SECONDS);
        assertThat(RecordingSocketListener.next(recorder.tasks).jobId()).isEqualTo(second);
        newer.close();
    }

    @Test
    void shouldRefuseTheUpgradeWithoutValidCredentials() throws Exception {
        URI uri = URI.create(root.toString().replaceFirst("^http", "ws") + "_worker/ws/w1");
        HttpClient client = HttpClient.newHttpClient();

        assertThatThrownBy(() -> client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { }).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(error -> assertThat(((WebSocketHandshakeException) error).getResponse().statusCode())
                        .isEqualTo(401));
        assertThatThrownBy(() -> client.newWebSocketBuilder().header(Protocol.HEADER_WORKER_TOKEN, "own-worker-token")
                .buildAsync(uri, new WebSocket.Listener() { }).join())
                .cause().satisfies(error -> assertThat(((WebSocketHandshakeException) error).getResponse().statusCode())
                        .isEqualTo(403));
    }

    @Test
    void shouldRefuseTheUpgradeForAnIllFormedOrReservedWorkerId() {
        HttpClient client = HttpClient.newHttpClient();
        Map<String, Integer> expected = Map.of("..%2F..%2Fapi", 400, "a.b", 400, "GHOST", 403);
        expected.forEach((workerId, status) -> {
            URI uri = URI.create(root.toString().replaceFirst("^http", "ws") + "_worker/ws/" + workerId);
            assertThatThrownBy(() -> client.newWebSocketBuilder()
                    .header(Protocol.HEADER_WORKER_TOKEN, Fixtures.WORKER_TOKEN)
                    .buildAsync(uri, new WebSocket.Listener() { }).join())
                    .cause().satisfies(error -> assertThat(((WebSocketHandshakeException) error).getResponse()
                            .statusCode()).as(workerId).isEqualTo(status));
        });
    }

    @Test
    void shouldCloseTheSocketWith1009WhenAMessageIsOverTheLimit() throws Exception {
        // given a registered worker's socket
        String workerId = uniqueWorker("big");
        registeredWorker(root, workerId, uniqueSkill("big"));
        URI uri = URI.create(root.toString().replaceFirst("^http", "ws") + "_worker/ws/" + workerId);
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header(Protocol.HEADER_WORKER_TOKEN, Fixtures.WORKER_TOKEN)
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                }).join();

        // when it sends a message larger than the 4 MB limit
        socket.sendText("x".repeat(5 * 1024 * 1024), true);

        // then the orchestrator closes the socket as too big
        assertThat(closed.get(20, TimeUnit.SECONDS)).isEqualTo(1009);
    }
}
