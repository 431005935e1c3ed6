package io.rxon.common.protocol.socket;

import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.Wire;
import io.rxon.common.protocol.WorkerCommand;
import java.util.Objects;

/**
 * A frame the orchestrator sends down a worker's socket. Every one of them is, on the wire, a valid
 * reference {@link WorkerCommand} ({@code command}, {@code task_id}, {@code job_id}, {@code params}),
 * so a Python worker that never negotiated push dispatch still parses whatever it receives; the
 * push-dispatch extension only adds command names. See {@code docs/PUSH_DISPATCH.md}.
 */
public sealed interface ServerFrame
        permits ServerFrame.CancelTask, ServerFrame.RunTask, ServerFrame.CreditAck, ServerFrame.ResultAck,
        ServerFrame.ServerError, ServerFrame.Command {

    /** The reference command: stop running a task. */
    record CancelTask(String jobId, String taskId) implements ServerFrame {
        public CancelTask {
            Wire.required(taskId, "task_id");
        }

        public WorkerCommand toCommand() {
            return WorkerCommand.cancelTask(jobId, taskId);
        }
    }

    /** Push dispatch: a task handed to the worker against one of the credits it granted. */
    record RunTask(TaskPayload task) implements ServerFrame {
        public RunTask {
            Objects.requireNonNull(task, "task");
        }
    }

    /**
     * The orchestrator's answer to a {@link WorkerFrame.Credit}: the {@code slots} it added. A
     * worker that hears no answer within its ack timeout falls back to long-poll: pushed tasks
     * would not come either.
     */
    record CreditAck(int slots) implements ServerFrame {
        public CreditAck {
            if (slots < 0) {
                throw new IllegalArgumentException("params.slots must not be negative, got " + slots);
            }
        }
    }

    /**
     * The orchestrator's answer to a {@link WorkerFrame.Result}: {@code accepted}, or
     * {@code ignored} with a reason (duplicate, late, cancelled job...), exactly as the HTTP
     * result endpoint would have answered.
     */
    record ResultAck(String jobId, String taskId, String status, String reason) implements ServerFrame {

        public static final String ACCEPTED = "accepted";
        public static final String IGNORED = "ignored";

        public ResultAck {
            Wire.required(taskId, "task_id");
            Wire.required(status, "params.status");
        }

        public static ResultAck accepted(String jobId, String taskId) {
            return new ResultAck(jobId, taskId, ACCEPTED, null);
        }

        public static ResultAck ignored(String jobId, String taskId, String reason) {
            return new ResultAck(jobId, taskId, IGNORED, reason);
        }

        /** Mirrors the HTTP client: only {@code ignored} means the result changed nothing. */
        public boolean isAccepted() {
            return !IGNORED.equals(status);
        }
    }

    /**
     * A refused worker frame (bad signature, malformed result, unknown frame). {@code taskId} and
     * {@code jobId} are set when the refusal concerns a result, so the worker can fail exactly
     * that pending submission; {@code code} is an RXON error code.
     */
    record ServerError(String error, String code, String jobId, String taskId) implements ServerFrame {
        public ServerError {
            Wire.required(error, "params.error");
        }
    }

    /** Any other command, custom ones included, passed through unchanged. */
    record Command(WorkerCommand command) implements ServerFrame {
        public Command {
            Objects.requireNonNull(command, "command");
            if (Protocol.COMMAND_CANCEL_TASK.equals(command.command())
                    || SocketFrames.RESERVED_COMMANDS.contains(command.command())) {
                throw new IllegalArgumentException(
                        "'" + command.command() + "' has its own frame type, not a generic command");
            }
        }
    }
}
