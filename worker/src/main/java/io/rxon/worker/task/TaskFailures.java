package io.rxon.worker.task;

import io.rxon.common.blob.BlobUnavailableException;
import io.rxon.common.error.RxonException;
import io.rxon.common.error.RxonIntegrityException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.TaskError;
import io.rxon.worker.skill.SkillException;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place that turns what a skill threw into an RXON error (PROTOCOL.md §7, SDK mapping):
 * a {@link SkillException} keeps its code; an unreachable blob store is {@code TRANSIENT_ERROR}
 * with {@code details.dependency = "blob_store"}; integrity failures are
 * {@code INTEGRITY_MISMATCH_ERROR}; other {@link RxonException}s keep the code they carry (a
 * missing blob is {@code DEPENDENCY_MISSING_ERROR}); {@link IllegalArgumentException} is
 * {@code INVALID_INPUT_ERROR}; a JVM {@link Error} is {@code INTERNAL_ERROR}; anything else is
 * {@code TRANSIENT_ERROR}, which the orchestrator retries. Wrappers from futures and reflection
 * are looked through. Cancellation never gets here: a stopped task is reported by its stop reason.
 */
public final class TaskFailures {

    private TaskFailures() {}

    public static TaskError toError(Throwable thrown) {
        Throwable error = unwrap(thrown);
        String message = messageOf(error);
        if (error instanceof SkillException skill) {
            return new TaskError(skill.code().name(), message, skill.details());
        }
        if (error instanceof BlobUnavailableException) {
            // An outage of the blob store: retried, never quarantined (docs/BLOBS.md, "Errors").
            return new TaskError(ErrorCode.TRANSIENT_ERROR.name(), message, Map.of("dependency", "blob_store",
                    "reason", ErrorCode.DEPENDENCY_ERROR.name()));
        }
        if (error instanceof RxonIntegrityException) {
            return new TaskError(ErrorCode.INTEGRITY_MISMATCH_ERROR, message);
        }
        if (error instanceof RxonException rxon && rxon.code() != null) {
            return new TaskError(rxon.code(), message);
        }
        if (error instanceof IllegalArgumentException) {
            return new TaskError(ErrorCode.INVALID_INPUT_ERROR, message);
        }
        if (error instanceof Error) {
            return new TaskError(ErrorCode.INTERNAL_ERROR, message);
        }
        return new TaskError(ErrorCode.TRANSIENT_ERROR, message);
    }

    /** The failure behind {@link CompletionException}, {@link ExecutionException} and reflection wrappers. */
    public static Throwable unwrap(Throwable thrown) {
        Throwable error = thrown;
        while ((error instanceof CompletionException || error instanceof ExecutionException
                || error instanceof InvocationTargetException) && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    private static String messageOf(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }
}
