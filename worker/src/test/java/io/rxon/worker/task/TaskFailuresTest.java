package io.rxon.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.rxon.common.error.RxonException;
import io.rxon.common.error.RxonIntegrityException;
import io.rxon.common.error.RxonNetworkException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.TaskError;
import io.rxon.worker.skill.SkillException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskFailuresTest {

    static Stream<Arguments> mapping() {
        return Stream.of(
                Arguments.of(new SkillException(ErrorCode.PERMANENT_ERROR, "model file corrupt"),
                        ErrorCode.PERMANENT_ERROR),
                Arguments.of(new SkillException(ErrorCode.RESOURCE_EXHAUSTED_ERROR, "GPU out of memory"),
                        ErrorCode.RESOURCE_EXHAUSTED_ERROR),
                Arguments.of(new IllegalArgumentException("width must be positive"), ErrorCode.INVALID_INPUT_ERROR),
                Arguments.of(new NumberFormatException("not a number"), ErrorCode.INVALID_INPUT_ERROR),
                Arguments.of(new RxonIntegrityException("size differs"), ErrorCode.INTEGRITY_MISMATCH_ERROR),
                Arguments.of(new RxonException("no blob", ErrorCode.DEPENDENCY_MISSING_ERROR),
                        ErrorCode.DEPENDENCY_MISSING_ERROR),
                Arguments.of(new RxonNetworkException("reset", null), ErrorCode.TRANSIENT_ERROR),
                Arguments.of(new IOException("disk hiccup"), ErrorCode.TRANSIENT_ERROR),
                Arguments.of(new IllegalStateException("boom"), ErrorCode.TRANSIENT_ERROR),
                Arguments.of(new NullPointerException(), ErrorCode.TRANSIENT_ERROR),
                Arguments.of(new StackOverflowError(), ErrorCode.INTERNAL_ERROR),
                Arguments.of(new CompletionException(new RxonIntegrityException("etag")),
                        ErrorCode.INTEGRITY_MISMATCH_ERROR),
                Arguments.of(new ExecutionException(new IllegalArgumentException("bad")),
                        ErrorCode.INVALID_INPUT_ERROR));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("mapping")
    void shouldMapWhatASkillThrowsToTheProtocolErrorCode(Throwable thrown, ErrorCode expected) {
        assertThat(TaskFailures.toError(thrown).errorCode()).isEqualTo(expected);
    }

    @Test
    void shouldKeepTheMessageAndTheDetailsOfASkillException() {
        // when a skill exception with details is mapped
        TaskError error = TaskFailures.toError(new SkillException(ErrorCode.DEPENDENCY_ERROR, "upstream said 502",
                Map.of("upstream", "vision-api"), null));

        // then message and details travel in the error
        assertThat(error.message()).isEqualTo("upstream said 502");
        assertThat(error.details()).containsEntry("upstream", "vision-api");
    }

    @Test
    void shouldNameTheExceptionWhenItHasNoMessage() {
        assertThat(TaskFailures.toError(new NullPointerException()).message()).isEqualTo("NullPointerException");
    }
}
