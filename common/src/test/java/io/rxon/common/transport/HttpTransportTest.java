package io.rxon.common.transport;

import static io.rxon.common.transport.TestMessages.CLOCK;
import static io.rxon.common.transport.TestMessages.NOW;
import static io.rxon.common.transport.TestMessages.TOKEN;
import static io.rxon.common.transport.TestMessages.WORKER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.error.RxonAuthException;
import io.rxon.common.error.RxonNetworkException;
import io.rxon.common.error.RxonProtocolException;
import io.rxon.common.error.RxonRateLimitException;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.HeartbeatResponse;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TokenResponse;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageSigning;
import io.rxon.common.security.Signatures;
import io.rxon.common.transport.StubOrchestrator.Reply;
import io.rxon.common.transport.StubOrchestrator.Request;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP side of the wire against a scripted orchestrator: requests, status mapping, retries, signing. */
class HttpTransportTest {

    private static final String POLL = Protocol.pollPath(WORKER_ID);
    private static final String HEARTBEAT = Protocol.heartbeatPath(WORKER_ID);
    private static final String TOKEN_JSON =
            "{\"access_token\":\"sts-access\",\"refresh_token\":\"sts-refresh\",\"expires_in\":3600,"
                    + "\"worker_id\":\"worker-1\"}";

    private StubOrchestrator orchestrator;
    private HttpTransport transport;

    @BeforeEach
    void startOrchestrator() {
        orchestrator = StubOrchestrator.start();
        transport = new HttpTransport(orchestrator.baseUrl() + "/", WORKER_ID, signedOptions().build());
    }

    @AfterEach
    void stopOrchestrator() {
        transport.close();
        orchestrator.close();
    }

    private static TransportOptions.Builder signedOptions() {
        return TransportOptions.builder()
                .token(TOKEN)
                .signing(new MessageSigning(new HmacSigner(TOKEN), WORKER_ID))
                .clock(CLOCK)
                .resultRetryDelay(Duration.ofMillis(1))
                .requestTimeout(Duration.ofSeconds(5));
    }

    @Test
    void shouldSendIdentityHeadersOnEveryRequest() {
        // given
        orchestrator.always("POST", Protocol.PATH_REGISTER, Reply.ok("{\"status\":\"registered\"}"))
                .always("GET", POLL, Reply.noContent())
                .always("PATCH", HEARTBEAT, Reply.ok("{\"status\":\"ok\"}"))
                .always("POST", Protocol.PATH_RESULT, Reply.ok("{\"status\":\"accepted\"}"))
                .always("POST", Protocol.PATH_EVENTS, Reply.ok("{\"status\":\"event_accepted\"}"));

        // when
        transport.register(TestMessages.registration());
        transport.pollTask(Duration.ofSeconds(1), null, null);
        transport.sendHeartbeat(TestMessages.heartbeat());
        transport.sendResult(TestMessages.result("task-1"));
        transport.emitEvent(TestMessages.event("event-1"));

        // then
        for (int i = 0; i < 5; i++) {
            Request request = orchestrator.take();
            assertThat(request.header(Protocol.HEADER_WORKER_TOKEN)).as(request.path()).isEqualTo(TOKEN);
            assertThat(request.header(Protocol.HEADER_WORKER_ID)).as(request.path()).isEqualTo(WORKER_ID);
            assertThat(request.header(Protocol.HEADER_VERSION)).as(request.path()).isEqualTo(Protocol.VERSION);
            if (request.method().equals("GET")) {
                assertThat(request.header("Content-Type")).isNull();
            } else {
                assertThat(request.header("Content-Type")).as(request.path()).isEqualTo("application/json");
            }
        }
    }

    static List<Arguments> pollQueries() {
        return List.of(
                Arguments.of(Duration.ofSeconds(30), List.of("a", "b"), List.of("c"),
                        "timeout=30.0&available_skills=a,b&hot_skills=c"),
                Arguments.of(Duration.ofMillis(1500), null, null, "timeout=1.5"),
                Arguments.of(Duration.ofMillis(250), List.of(), null, "timeout=0.25&available_skills="),
                Arguments.of(Duration.ZERO, null, List.of("x"), "timeout=0.0&hot_skills=x"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("pollQueries")
    void shouldSendPollTimeoutAsDecimalSecondsAndSkillLists(
            Duration timeout, List<String> available, List<String> hot, String expectedQuery) {
        // given
        orchestrator.always("GET", POLL, Reply.noContent());

        // when
        transport.pollTask(timeout, available, hot);

        // then
        Request request = orchestrator.take();
        assertThat(request.path()).isEqualTo("/_worker/workers/worker-1/tasks/next");
        assertThat(request.query()).isEqualTo(expectedQuery);
    }

    static List<Reply> emptyPolls() {
        return List.of(Reply.noContent(), Reply.ok("{}"), Reply.ok(""), Reply.ok("null"));
    }

    @ParameterizedTest
    @MethodSource("emptyPolls")
    void shouldReturnNoTaskWhenPollAnswersNothing(Reply reply) {
        // given
        orchestrator.reply("GET", POLL, reply);

        // when
        Optional<TaskPayload> task = transport.pollTask(Duration.ofSeconds(1), null, null);

        // then
        assertThat(task).isEmpty();
    }

    @Test
    void shouldDecodeTaskFromPoll() {
        // given
        orchestrator.reply("GET", POLL, Reply.ok(
                "{\"job_id\":\"job-1\",\"task_id\":\"task-1\",\"type\":\"echo\",\"params\":{\"text\":\"hi\"},"
                        + "\"priority\":2.5,\"skill_version\":\"1.0\"}"));

        // when
        Optional<TaskPayload> task = transport.pollTask(Duration.ofSeconds(1), List.of("echo"), null);

        // then
        assertThat(task).hasValueSatisfying(payload -> {
            assertThat(payload.taskId()).isEqualTo("task-1");
            assertThat(payload.params()).containsEntry("text", "hi");
            assertThat(payload.priority()).isEqualTo(2.5);
            assertThat(payload.extra()).containsEntry("skill_version", "1.0");
        });
    }

    @Test
    void shouldRefreshTokenAndRetryOnceAfter401() {
        // given
        orchestrator.reply("GET", POLL, Reply.json(401, "{\"error\":\"expired\"}"),
                        Reply.ok("{\"job_id\":\"job-1\",\"task_id\":\"task-1\",\"type\":\"echo\"}"))
                .reply("POST", Protocol.PATH_TOKEN, Reply.ok(TOKEN_JSON));

        // when
        Optional<TaskPayload> task = transport.pollTask(Duration.ofSeconds(1), null, null);

        // then
        assertThat(task).isPresent();
        assertThat(orchestrator.take().header(Protocol.HEADER_WORKER_TOKEN)).isEqualTo(TOKEN);
        Request issue = orchestrator.take();
        assertThat(issue.path()).isEqualTo(Protocol.PATH_TOKEN);
        assertThat(issue.body()).isEmpty();
        assertThat(orchestrator.take().header(Protocol.HEADER_WORKER_TOKEN)).isEqualTo("sts-access");
    }

    @Test
    void shouldRaiseAuthErrorWhenRetryAfterRefreshIsStillUnauthorized() {
        // given
        orchestrator.always("GET", POLL, Reply.json(401, "{\"error\":\"unknown worker\"}"))
                .reply("POST", Protocol.PATH_TOKEN, Reply.ok(TOKEN_JSON));

        // when / then
        assertThatThrownBy(() -> transport.pollTask(Duration.ofSeconds(1), null, null))
                .isInstanceOfSatisfying(RxonAuthException.class,
                        e -> assertThat(e.httpStatus()).contains(401))
                .hasMessageContaining("unknown worker");
        assertThat(List.of(orchestrator.take().path(), orchestrator.take().path(), orchestrator.take().path()))
                .containsExactly(POLL, Protocol.PATH_TOKEN, POLL);
    }

    @Test
    void shouldRaiseAuthErrorWithoutRetryWhenRefreshFails() {
        // given
        orchestrator.always("GET", POLL, Reply.json(401, "{\"error\":\"expired\"}"))
                .reply("POST", Protocol.PATH_TOKEN, Reply.json(403, "{\"error\":\"no mTLS identity\"}"));

        // when / then
        assertThatThrownBy(() -> transport.pollTask(Duration.ofSeconds(1), null, null))
                .isInstanceOf(RxonAuthException.class);
        orchestrator.take();
        orchestrator.take();
        assertThat(orchestrator.pendingRequests()).isZero();
        assertThat(transport.refreshToken()).isEmpty();
    }

    @Test
    void shouldAskTheCredentialsForANewTokenBeforeTheTokenService() {
        // given
        Credentials oidc = new Credentials() {
            @Override
            public String token() {
                return "oidc-old";
            }

            @Override
            public Optional<String> refresh() {
                return Optional.of("oidc-new");
            }
        };
        HttpTransport oidcTransport = new HttpTransport(orchestrator.baseUrl(), WORKER_ID,
                signedOptions().credentials(oidc).build());
        orchestrator.reply("GET", POLL, Reply.json(401, "{}"), Reply.noContent());

        // when
        oidcTransport.pollTask(Duration.ofSeconds(1), null, null);

        // then
        assertThat(orchestrator.take().header(Protocol.HEADER_WORKER_TOKEN)).isEqualTo("oidc-old");
        assertThat(orchestrator.take().header(Protocol.HEADER_WORKER_TOKEN)).isEqualTo("oidc-new");
    }

    @Test
    void shouldUseTheRefreshEndpointWhenHoldingARefreshToken() {
        // given
        orchestrator.reply("POST", Protocol.PATH_TOKEN, Reply.ok(TOKEN_JSON))
                .reply("POST", Protocol.PATH_TOKEN_REFRESH, Reply.ok(
                        "{\"access_token\":\"sts-access-2\",\"expires_in\":3600,\"worker_id\":\"worker-1\"}"));
        transport.refreshToken();
        orchestrator.take();

        // when
        Optional<TokenResponse> refreshed = transport.refreshToken();

        // then
        assertThat(refreshed).map(TokenResponse::accessToken).contains("sts-access-2");
        Request refresh = orchestrator.take();
        assertThat(refresh.path()).isEqualTo(Protocol.PATH_TOKEN_REFRESH);
        assertThat(refresh.json().get("refresh_token").asText()).isEqualTo("sts-refresh");
        assertThat(refresh.header(Protocol.HEADER_WORKER_ID)).isEqualTo(WORKER_ID);
    }

    @Test
    void shouldRaiseAuthErrorWithServerMessageOn403() {
        // given
        orchestrator.reply("PATCH", HEARTBEAT, Reply.json(403, "{\"error\":\"Invalid message signature\"}"));

        // when / then
        assertThatThrownBy(() -> transport.sendHeartbeat(TestMessages.heartbeat()))
                .isInstanceOfSatisfying(RxonAuthException.class, e -> assertThat(e.httpStatus()).contains(403))
                .hasMessage("Invalid message signature");
        orchestrator.take();
        assertThat(orchestrator.pendingRequests()).as("no refresh on 403").isZero();
    }

    static List<Arguments> rateLimits() {
        String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(120).atOffset(ZoneOffset.UTC));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(30).atOffset(ZoneOffset.UTC));
        String body = "{\"error\":\"slow down\",\"code\":\"RATE_LIMITED\"}";
        return List.of(
                Arguments.of(Reply.json(429, body).withHeader("Retry-After", "2.5"), Optional.of(Duration.ofMillis(2500)),
                        "slow down", "RATE_LIMITED"),
                Arguments.of(Reply.json(429, body).withHeader("Retry-After", inTwoMinutes),
                        Optional.of(Duration.ofSeconds(120)), "slow down", "RATE_LIMITED"),
                Arguments.of(Reply.json(429, body).withHeader("Retry-After", past), Optional.of(Duration.ZERO),
                        "slow down", "RATE_LIMITED"),
                Arguments.of(Reply.json(429, "{\"error\":\"slow down\"}"), Optional.empty(), "slow down",
                        "LIMIT_EXCEEDED_ERROR"),
                Arguments.of(Reply.text(429, "Too Many Requests").withHeader("Retry-After", "7"),
                        Optional.of(Duration.ofSeconds(7)), "Too Many Requests", "LIMIT_EXCEEDED_ERROR"));
    }

    @ParameterizedTest
    @MethodSource("rateLimits")
    void shouldRaiseRateLimitWithRetryAfterMessageAndCode(
            Reply reply, Optional<Duration> retryAfter, String message, String code) {
        // given
        orchestrator.reply("POST", Protocol.PATH_RESULT, reply);

        // when / then
        assertThatThrownBy(() -> transport.sendResult(TestMessages.result("task-1")))
                .isInstanceOfSatisfying(RxonRateLimitException.class, e -> {
                    assertThat(e.retryAfter()).isEqualTo(retryAfter);
                    assertThat(e.wireCode()).isEqualTo(code);
                    assertThat(e.httpStatus()).contains(429);
                })
                .hasMessage(message);
        orchestrator.take();
        assertThat(orchestrator.pendingRequests()).as("rate limits are not retried").isZero();
    }

    @Test
    void shouldRaiseProtocolErrorWithStatusOnServerError() {
        // given
        orchestrator.reply("POST", Protocol.PATH_RESULT, Reply.json(500, "{\"error\":\"boom\"}"));

        // when / then
        assertThatThrownBy(() -> transport.sendResult(TestMessages.result("task-1")))
                .isExactlyInstanceOf(RxonProtocolException.class)
                .hasMessage("HTTP 500: {\"error\":\"boom\"}")
                .satisfies(e -> assertThat(((RxonProtocolException) e).httpStatus()).contains(500));
        orchestrator.take();
        assertThat(orchestrator.pendingRequests()).as("protocol errors are not retried").isZero();
    }

    @Test
    void shouldRaiseProtocolErrorWhenSuccessIsNotJson() {
        // given
        orchestrator.reply("PATCH", HEARTBEAT, Reply.text(200, "<html>proxy page</html>"));

        // when / then
        assertThatThrownBy(() -> transport.sendHeartbeat(TestMessages.heartbeat()))
                .isExactlyInstanceOf(RxonProtocolException.class)
                .hasMessageStartingWith("Response is not a valid JSON");
    }

    @Test
    void shouldRaiseNetworkErrorWhenConnectionIsRefused() throws IOException {
        // given
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HttpTransport unreachable = new HttpTransport("http://127.0.0.1:" + closedPort, WORKER_ID,
                signedOptions().build());

        // when / then
        assertThatThrownBy(() -> unreachable.pollTask(Duration.ofSeconds(1), null, null))
                .isInstanceOf(RxonNetworkException.class);
    }

    @Test
    void shouldRetryResultOnNetworkFailureUntilItGoesThrough() {
        // given
        orchestrator.reply("POST", Protocol.PATH_RESULT, Reply.drop(), Reply.drop(),
                Reply.ok("{\"status\":\"accepted\",\"transition\":\"success_transition\"}"));

        // when
        boolean accepted = transport.sendResult(TestMessages.result("task-1"));

        // then
        assertThat(accepted).isTrue();
        List<String> bodies = List.of(orchestrator.take().text(), orchestrator.take().text(),
                orchestrator.take().text());
        assertThat(bodies).as("the same signed body every time").containsOnly(bodies.get(0));
    }

    @Test
    void shouldGiveUpResultAfterTheConfiguredAttempts() {
        // given
        orchestrator.always("POST", Protocol.PATH_RESULT, Reply.drop());

        // when / then
        assertThatThrownBy(() -> transport.sendResult(TestMessages.result("task-1")))
                .isInstanceOf(RxonNetworkException.class);
        orchestrator.take();
        orchestrator.take();
        orchestrator.take();
        assertThat(orchestrator.pendingRequests()).isZero();
    }

    @Test
    void shouldReportIgnoredResultAsFalse() {
        // given
        orchestrator.reply("POST", Protocol.PATH_RESULT,
                Reply.ok("{\"status\":\"ignored\",\"reason\":\"job_cancelled\",\"message\":\"too late\"}"));

        // when
        boolean accepted = transport.sendResult(TestMessages.result("task-1"));

        // then
        assertThat(accepted).isFalse();
    }

    @Test
    void shouldReturnNoHeartbeatResponseWhenServerAnswersNull() {
        // given
        orchestrator.reply("PATCH", HEARTBEAT, Reply.ok("null"));

        // when
        Optional<HeartbeatResponse> response = transport.sendHeartbeat(TestMessages.heartbeat());

        // then
        assertThat(response).isEmpty();
    }

    @Test
    void shouldDecodeHeartbeatInstructions() {
        // given
        orchestrator.reply("PATCH", HEARTBEAT,
                Reply.ok("{\"status\":\"ok\",\"require_full_sync\":true,\"cancel_task_ids\":[\"task-9\"]}"));

        // when
        Optional<HeartbeatResponse> response = transport.sendHeartbeat(TestMessages.heartbeat());

        // then
        assertThat(response).hasValueSatisfying(answer -> {
            assertThat(answer.fullSyncRequested()).isTrue();
            assertThat(answer.cancelTaskIdsOrEmpty()).containsExactly("task-9");
        });
    }

    @Test
    void shouldReadPushConsentOnlyFromATruePushDispatchFieldInTheRegisterAnswer() {
        // given an rxon-java answer, a reference answer and a malformed one
        orchestrator.reply("POST", Protocol.PATH_REGISTER,
                Reply.ok("{\"status\":\"registered\",\"push_dispatch\":true}"),
                Reply.ok("{\"status\":\"registered\",\"version\":\"1.0b14\"}"),
                Reply.ok("{\"status\":\"registered\",\"push_dispatch\":\"true\"}"));

        // when / then
        assertThat(transport.register(TestMessages.registration()).pushDispatch()).isTrue();
        assertThat(transport.register(TestMessages.registration()).pushDispatch()).isFalse();
        assertThat(transport.register(TestMessages.registration()).pushDispatch()).isFalse();
    }

    @Test
    void shouldAdoptAccessTokenIssuedAtRegistration() {
        // given
        orchestrator.reply("POST", Protocol.PATH_REGISTER, Reply.ok("{\"status\":\"registered\",\"version\":\"1.0b16\","
                + "\"access_token\":\"issued\",\"refresh_token\":\"issued-refresh\",\"expires_in\":60}"))
                .always("GET", POLL, Reply.noContent());

        // when
        RegistrationResponse response = transport.register(TestMessages.registration());
        transport.pollTask(Duration.ofSeconds(1), null, null);

        // then
        assertThat(response.status()).isEqualTo("registered");
        assertThat(response.version()).isEqualTo("1.0b16");
        assertThat(response.token()).hasValueSatisfying(token -> {
            assertThat(token.accessToken()).isEqualTo("issued");
            assertThat(token.workerId()).isEqualTo(WORKER_ID);
        });
        assertThat(orchestrator.take().header(Protocol.HEADER_WORKER_TOKEN)).isEqualTo(TOKEN);
        assertThat(orchestrator.take().header(Protocol.HEADER_WORKER_TOKEN)).isEqualTo("issued");
    }

    @Test
    void shouldTimestampAndSignEveryWorkerMessage() {
        // given
        orchestrator.always("POST", Protocol.PATH_REGISTER, Reply.ok("{\"status\":\"registered\"}"))
                .always("PATCH", HEARTBEAT, Reply.ok("{\"status\":\"ok\"}"))
                .always("POST", Protocol.PATH_RESULT, Reply.ok("{\"status\":\"accepted\"}"))
                .always("POST", Protocol.PATH_EVENTS, Reply.ok("{\"status\":\"event_accepted\"}"));

        // when
        transport.register(TestMessages.registration());
        transport.sendHeartbeat(TestMessages.heartbeat());
        transport.sendResult(TestMessages.result("task-1"));
        transport.emitEvent(TestMessages.event("event-1"));

        // then
        HmacSigner verifier = new HmacSigner(TOKEN);
        for (int i = 0; i < 4; i++) {
            Request request = orchestrator.take();
            JsonNode body = request.json();
            List<String> ignored = request.path().equals(Protocol.PATH_EVENTS)
                    ? WorkerEventPayload.UNSIGNED_FIELDS : List.of();
            assertThat(body.get("timestamp").asLong()).as(request.path()).isEqualTo(NOW.getEpochSecond());
            assertThat(body.at("/security/signer_id").asText()).isEqualTo(WORKER_ID);
            assertThat(Signatures.verify(body, body.at("/security/signature").asText(), verifier, ignored))
                    .as("signature of %s", request.path()).isTrue();
        }
    }

    @Test
    void shouldTimestampButNotSignWithoutSigning() {
        // given
        HttpTransport unsigned = new HttpTransport(orchestrator.baseUrl(), WORKER_ID,
                signedOptions().signing(null).build());
        orchestrator.reply("PATCH", HEARTBEAT, Reply.ok("{\"status\":\"ok\"}"));

        // when
        unsigned.sendHeartbeat(TestMessages.heartbeat());

        // then
        JsonNode body = orchestrator.take().json();
        assertThat(body.get("timestamp").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(body.has("security")).isFalse();
    }

    @Test
    void shouldReportRefusedEventAsFalse() {
        // given
        orchestrator.reply("POST", Protocol.PATH_EVENTS, Reply.ok(
                "{\"status\":\"error\",\"code\":\"CONTRACT_VIOLATION_ERROR\",\"message\":\"bad payload\"}"));

        // when
        boolean accepted = transport.emitEvent(TestMessages.event("event-1"));

        // then
        assertThat(accepted).isFalse();
        assertThat(Json.read(orchestrator.take().body(), WorkerEventPayload.class).eventId()).isEqualTo("event-1");
    }

    @Test
    void shouldWarnOnceAboutProtocolVersionMismatch() {
        // given
        List<LogRecord> warnings = Collections.synchronizedList(new ArrayList<>());
        Logger logger = Logger.getLogger(VersionCheck.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord logRecord) {
                warnings.add(logRecord);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(capture);
        orchestrator.announceVersion("0.9");
        orchestrator.always("GET", POLL, Reply.noContent());

        try {
            // when
            transport.pollTask(Duration.ofSeconds(1), null, null);
            transport.pollTask(Duration.ofSeconds(1), null, null);

            // then
            assertThat(warnings).singleElement().satisfies(warning -> {
                assertThat(warning.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
                assertThat(warning.getMessage()).contains("RXON Protocol Version Mismatch");
                assertThat(warning.getParameters()).containsExactly("0.9", Protocol.VERSION);
            });
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void shouldRefuseCallsAfterClose() {
        // given
        transport.close();

        // when / then
        assertThatThrownBy(() -> transport.pollTask(Duration.ofSeconds(1), null, null))
                .isInstanceOf(IllegalStateException.class);
    }
}
