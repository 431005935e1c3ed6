package io.rxon.common.protocol.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.WorkerEventPayload;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;

/**
 * The one codec of the worker socket, used by both ends so that they cannot drift: text frame to
 * {@link ServerFrame}/{@link WorkerFrame} and back. Decoding never returns null; anything that is
 * not a frame of {@code docs/PUSH_DISPATCH.md} raises {@link InvalidFrameException} with a message
 * naming what is wrong.
 */
public final class SocketFrames {

    public static final String COMMAND_RUN_TASK = "run_task";
    public static final String COMMAND_CREDIT_ACK = "credit_ack";
    public static final String COMMAND_RESULT_ACK = "result_ack";
    public static final String COMMAND_ERROR = "error";

    public static final String FRAME_KEY = "frame";
    public static final String FRAME_CREDIT = "credit";
    public static final String FRAME_RESULT = "result";

    /** Command names of the push-dispatch extension; a generic {@link ServerFrame.Command} may not use them. */
    static final Set<String> RESERVED_COMMANDS = Set.of(COMMAND_RUN_TASK, COMMAND_CREDIT_ACK, COMMAND_RESULT_ACK,
            COMMAND_ERROR);

    private static final int EXCERPT_LENGTH = 120;

    private SocketFrames() {}

    /**
     * @throws InvalidFrameException when the text is not a JSON object with a {@code command}, or
     *     an extension command lacks what it needs (a task, an ack status, an error text)
     */
    public static ServerFrame decodeServerFrame(String text) {
        ObjectNode node = parseObject(text, "server frame");
        JsonNode name = node.get("command");
        if (name == null || !name.isTextual()) {
            throw new InvalidFrameException("Server frame has no textual 'command': " + excerpt(text));
        }
        String command = name.textValue();
        try {
            WorkerCommand decoded = Json.convert(node, WorkerCommand.class);
            return switch (command) {
                case Protocol.COMMAND_CANCEL_TASK -> new ServerFrame.CancelTask(decoded.jobId(), decoded.taskId());
                case COMMAND_RUN_TASK -> runTask(node, decoded);
                case COMMAND_CREDIT_ACK -> creditAck(node);
                case COMMAND_RESULT_ACK -> resultAck(node, decoded);
                case COMMAND_ERROR -> serverError(node, decoded);
                default -> new ServerFrame.Command(decoded);
            };
        } catch (InvalidFrameException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidFrameException("Invalid '" + command + "' frame: " + e.getMessage(), e);
        }
    }

    /**
     * @throws InvalidFrameException when the text is not a JSON object, names an unknown
     *     {@code frame}, or its event, credit or result does not decode
     */
    public static WorkerFrame decodeWorkerFrame(String text) {
        ObjectNode node = parseObject(text, "worker frame");
        JsonNode frame = node.get(FRAME_KEY);
        if (frame == null) {
            return decode(() -> new WorkerFrame.Event(Json.convert(node, WorkerEventPayload.class), node), "event");
        }
        if (!frame.isTextual()) {
            throw new InvalidFrameException("Worker frame 'frame' must be a string: " + excerpt(text));
        }
        return switch (frame.textValue()) {
            case FRAME_CREDIT -> credit(node);
            case FRAME_RESULT -> result(node);
            default -> throw new InvalidFrameException("Unknown worker frame '" + frame.textValue() + "'");
        };
    }

    public static String encode(ServerFrame frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame instanceof ServerFrame.CancelTask cancel) {
            return Json.writeString(cancel.toCommand());
        }
        if (frame instanceof ServerFrame.Command command) {
            return Json.writeString(command.command());
        }
        if (frame instanceof ServerFrame.RunTask run) {
            ObjectNode node = command(COMMAND_RUN_TASK, run.task().jobId(), run.task().taskId());
            node.set("params", Json.tree(run.task()));
            return Json.writeString(node);
        }
        if (frame instanceof ServerFrame.CreditAck ack) {
            ObjectNode node = command(COMMAND_CREDIT_ACK, null, null);
            node.putObject("params").put("slots", ack.slots());
            return Json.writeString(node);
        }
        if (frame instanceof ServerFrame.ResultAck ack) {
            ObjectNode node = command(COMMAND_RESULT_ACK, ack.jobId(), ack.taskId());
            putIfPresent(node.putObject("params").put("status", ack.status()), "reason", ack.reason());
            return Json.writeString(node);
        }
        ServerFrame.ServerError error = (ServerFrame.ServerError) frame;
        ObjectNode node = command(COMMAND_ERROR, error.jobId(), error.taskId());
        putIfPresent(node.putObject("params").put("error", error.error()), "code", error.code());
        return Json.writeString(node);
    }

    /** Events are written bare (the reference frame); the extension frames carry {@code frame}. */
    public static String encode(WorkerFrame frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame instanceof WorkerFrame.Event event) {
            return Json.writeString(event.json());
        }
        if (frame instanceof WorkerFrame.Credit credit) {
            return Json.writeString(
                    Json.mapper().createObjectNode().put(FRAME_KEY, FRAME_CREDIT).put("slots", credit.slots()));
        }
        WorkerFrame.Result result = (WorkerFrame.Result) frame;
        ObjectNode node = Json.mapper().createObjectNode().put(FRAME_KEY, FRAME_RESULT);
        node.set("result", result.json());
        return Json.writeString(node);
    }

    private static ServerFrame runTask(ObjectNode node, WorkerCommand command) {
        JsonNode params = node.get("params");
        if (params == null || !params.isObject()) {
            throw new InvalidFrameException("'run_task' frame needs the task as 'params'");
        }
        TaskPayload task = Json.convert(params, TaskPayload.class);
        if (command.taskId() != null && !command.taskId().equals(task.taskId())) {
            throw new InvalidFrameException("'run_task' frame names task '" + command.taskId()
                    + "' but carries task '" + task.taskId() + "'");
        }
        return new ServerFrame.RunTask(task);
    }

    private static ServerFrame creditAck(ObjectNode node) {
        JsonNode slots = node.path("params").get("slots");
        if (slots == null || !slots.isIntegralNumber() || !slots.canConvertToInt()) {
            throw new InvalidFrameException("'credit_ack' frame needs an integer 'params.slots'");
        }
        return new ServerFrame.CreditAck(slots.intValue());
    }

    private static ServerFrame resultAck(ObjectNode node, WorkerCommand command) {
        JsonNode params = node.path("params");
        return new ServerFrame.ResultAck(command.jobId(), command.taskId(), text(params, "status"),
                text(params, "reason"));
    }

    private static ServerFrame serverError(ObjectNode node, WorkerCommand command) {
        JsonNode params = node.path("params");
        return new ServerFrame.ServerError(text(params, "error"), text(params, "code"), command.jobId(),
                command.taskId());
    }

    private static WorkerFrame credit(ObjectNode node) {
        JsonNode slots = node.get("slots");
        if (slots == null || !slots.isIntegralNumber() || !slots.canConvertToInt()) {
            throw new InvalidFrameException("'credit' frame needs an integer 'slots'");
        }
        return decode(() -> new WorkerFrame.Credit(slots.intValue()), "credit");
    }

    private static WorkerFrame result(ObjectNode node) {
        JsonNode result = node.get("result");
        if (result == null || !result.isObject()) {
            throw new InvalidFrameException("'result' frame needs the task result as 'result'");
        }
        return decode(() -> new WorkerFrame.Result(Json.convert(result, TaskResult.class), result), "result");
    }

    private interface FrameFactory {
        WorkerFrame create();
    }

    private static WorkerFrame decode(FrameFactory factory, String what) {
        try {
            return factory.create();
        } catch (IllegalArgumentException e) {
            throw new InvalidFrameException("Invalid '" + what + "' frame: " + e.getMessage(), e);
        }
    }

    private static ObjectNode parseObject(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new InvalidFrameException("Empty " + what);
        }
        JsonNode node;
        try {
            node = Json.tree(text.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new InvalidFrameException("The " + what + " is not JSON: " + excerpt(text), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidFrameException("The " + what + " must be a JSON object: " + excerpt(text));
        }
        return object;
    }

    private static ObjectNode command(String name, String jobId, String taskId) {
        ObjectNode node = Json.mapper().createObjectNode().put("command", name);
        putIfPresent(node, "task_id", taskId);
        putIfPresent(node, "job_id", jobId);
        return node;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private static String excerpt(String text) {
        return text.length() > EXCERPT_LENGTH ? text.substring(0, EXCERPT_LENGTH) + "…" : text;
    }
}
