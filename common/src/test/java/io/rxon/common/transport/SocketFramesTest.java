package io.rxon.common.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.socket.InvalidFrameException;
import io.rxon.common.protocol.socket.ServerFrame;
import io.rxon.common.protocol.socket.SocketFrames;
import io.rxon.common.protocol.socket.WorkerFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The push-dispatch frame codec (io.rxon.common.protocol.socket): every frame survives a round
 * trip, server frames stay valid reference commands, and garbage is refused with a clear reason.
 */
class SocketFramesTest {

    static List<ServerFrame> serverFrames() {
        TaskPayload task = new TaskPayload("job-1", "task-1", "echo", Map.of("text", "hi", "n", 3), null, null, 1.5,
                1_800_000_000L, null, null, 1_700_000_000L, null, null, 2, 0, null, Map.of("skill_version", "1.0"));
        return List.of(
                new ServerFrame.CancelTask("job-1", "task-1"),
                new ServerFrame.Command(new WorkerCommand("reload_models", null, null, Map.of("model", "llama"), null)),
                new ServerFrame.RunTask(task),
                new ServerFrame.CreditAck(0),
                new ServerFrame.CreditAck(4),
                ServerFrame.ResultAck.accepted("job-1", "task-1"),
                ServerFrame.ResultAck.ignored("job-1", "task-1", "duplicate"),
                new ServerFrame.ServerError("Invalid message signature", "SECURITY_ERROR", "job-1", "task-1"),
                new ServerFrame.ServerError("Unknown worker frame 'x'", "INVALID_INPUT_ERROR", null, null));
    }

    @ParameterizedTest
    @MethodSource("serverFrames")
    void shouldRoundTripEveryServerFrameAsAReferenceCommand(ServerFrame frame) {
        // when
        String text = SocketFrames.encode(frame);

        // then
        assertThat(SocketFrames.decodeServerFrame(text)).isEqualTo(frame);
        assertThat(Json.read(text, WorkerCommand.class).command()).isNotBlank();
    }

    @Test
    void shouldDecodeTheReferenceCancelFrame() {
        // when
        ServerFrame frame = SocketFrames.decodeServerFrame(
                "{\"command\":\"cancel_task\",\"task_id\":\"t-1\",\"job_id\":\"j-1\"}");

        // then
        assertThat(frame).isEqualTo(new ServerFrame.CancelTask("j-1", "t-1"));
        assertThat(((ServerFrame.CancelTask) frame).toCommand()).isEqualTo(WorkerCommand.cancelTask("j-1", "t-1"));
    }

    @Test
    void shouldWriteTheDocumentedShapes() {
        assertThat(Json.tree(bytes(SocketFrames.encode(ServerFrame.ResultAck.ignored("j", "t", "duplicate")))))
                .isEqualTo(Json.tree(bytes("{\"command\":\"result_ack\",\"task_id\":\"t\",\"job_id\":\"j\","
                        + "\"params\":{\"status\":\"ignored\",\"reason\":\"duplicate\"}}")));
        assertThat(Json.tree(bytes(SocketFrames.encode(new ServerFrame.ServerError("nope", "SECURITY_ERROR", null,
                null))))).isEqualTo(Json.tree(bytes(
                        "{\"command\":\"error\",\"params\":{\"error\":\"nope\",\"code\":\"SECURITY_ERROR\"}}")));
        assertThat(SocketFrames.encode(new WorkerFrame.Credit(4))).isEqualTo("{\"frame\":\"credit\",\"slots\":4}");
        assertThat(SocketFrames.encode(new ServerFrame.CreditAck(4)))
                .isEqualTo("{\"command\":\"credit_ack\",\"params\":{\"slots\":4}}");
    }

    static List<WorkerFrame> workerFrames() {
        return List.of(
                WorkerFrame.Event.of(TestMessages.event("event-1")),
                new WorkerFrame.Credit(0),
                new WorkerFrame.Credit(8),
                WorkerFrame.Result.of(TestMessages.result("task-1")));
    }

    @ParameterizedTest
    @MethodSource("workerFrames")
    void shouldRoundTripEveryWorkerFrame(WorkerFrame frame) {
        // when
        String text = SocketFrames.encode(frame);

        // then
        assertThat(SocketFrames.decodeWorkerFrame(text)).isEqualTo(frame);
    }

    @Test
    void shouldSendEventsBareAndKeepTheReceivedJsonForSignatureChecks() {
        // given
        String text = "{\"event_id\":\"e-1\",\"worker_id\":\"w\",\"origin_worker_id\":\"w\","
                + "\"event_type\":\"progress\",\"payload\":{\"progress\":0.5},\"future_field\":true}";

        // when
        WorkerFrame frame = SocketFrames.decodeWorkerFrame(text);

        // then
        assertThat(frame).isInstanceOfSatisfying(WorkerFrame.Event.class, event -> {
            assertThat(event.event().eventId()).isEqualTo("e-1");
            assertThat(event.json().get("future_field").asBoolean()).isTrue();
        });
        JsonNode encoded = Json.tree(bytes(SocketFrames.encode(WorkerFrame.Event.of(TestMessages.event("e-2")))));
        assertThat(encoded.has(SocketFrames.FRAME_KEY)).isFalse();
    }

    static List<Arguments> invalidServerFrames() {
        return List.of(
                Arguments.of("", "Empty server frame"),
                Arguments.of("not json", "not JSON"),
                Arguments.of("[1,2]", "must be a JSON object"),
                Arguments.of("{}", "no textual 'command'"),
                Arguments.of("{\"command\":5}", "no textual 'command'"),
                Arguments.of("{\"command\":\"cancel_task\"}", "task_id"),
                Arguments.of("{\"command\":\"run_task\",\"task_id\":\"t\"}", "needs the task as 'params'"),
                Arguments.of("{\"command\":\"run_task\",\"params\":{\"job_id\":\"j\"}}", "Invalid 'run_task' frame"),
                Arguments.of("{\"command\":\"run_task\",\"task_id\":\"a\",\"params\":"
                        + "{\"job_id\":\"j\",\"task_id\":\"b\",\"type\":\"echo\"}}", "carries task 'b'"),
                Arguments.of("{\"command\":\"result_ack\",\"task_id\":\"t\",\"params\":{}}", "params.status"),
                Arguments.of("{\"command\":\"result_ack\",\"params\":{\"status\":\"accepted\"}}", "task_id"),
                Arguments.of("{\"command\":\"error\",\"params\":{\"code\":\"X\"}}", "params.error"),
                Arguments.of("{\"command\":\"credit_ack\"}", "integer 'params.slots'"),
                Arguments.of("{\"command\":\"credit_ack\",\"params\":{\"slots\":-2}}", "must not be negative"),
                Arguments.of("{\"command\":\"reload\",\"params\":[1]}", "Invalid 'reload' frame"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidServerFrames")
    void shouldRejectMalformedServerFramesClearly(String text, String reason) {
        assertThatThrownBy(() -> SocketFrames.decodeServerFrame(text))
                .isInstanceOf(InvalidFrameException.class)
                .hasMessageContaining(reason);
    }

    static List<Arguments> invalidWorkerFrames() {
        return List.of(
                Arguments.of("   ", "Empty worker frame"),
                Arguments.of("{\"frame\":", "not JSON"),
                Arguments.of("\"credit\"", "must be a JSON object"),
                Arguments.of("{\"frame\":7}", "'frame' must be a string"),
                Arguments.of("{\"frame\":\"bogus\"}", "Unknown worker frame 'bogus'"),
                Arguments.of("{\"frame\":\"credit\"}", "integer 'slots'"),
                Arguments.of("{\"frame\":\"credit\",\"slots\":\"3\"}", "integer 'slots'"),
                Arguments.of("{\"frame\":\"credit\",\"slots\":1.5}", "integer 'slots'"),
                Arguments.of("{\"frame\":\"credit\",\"slots\":-1}", "must not be negative"),
                Arguments.of("{\"frame\":\"result\"}", "task result as 'result'"),
                Arguments.of("{\"frame\":\"result\",\"result\":{\"job_id\":\"j\"}}", "Invalid 'result' frame"),
                Arguments.of("{\"event_id\":\"e\",\"worker_id\":\"w\"}", "Invalid 'event' frame"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidWorkerFrames")
    void shouldRejectMalformedWorkerFramesClearly(String text, String reason) {
        assertThatThrownBy(() -> SocketFrames.decodeWorkerFrame(text))
                .isInstanceOf(InvalidFrameException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void shouldNotLetAGenericCommandImpersonateAnExtensionFrame() {
        assertThatThrownBy(() -> new ServerFrame.Command(new WorkerCommand("run_task", "t", "j", null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("own frame type");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
