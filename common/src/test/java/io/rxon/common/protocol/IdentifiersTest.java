package io.rxon.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

    @ParameterizedTest
    @ValueSource(strings = {"w", "worker-1", "GPU_node_07", "0c2f6a1e-7b0d-4d1e-9a53-5b7f3c2f0a11"})
    void shouldAcceptValidIdentifiers(String id) {
        assertThat(Identifiers.isValid(id)).isTrue();
        assertThat(Identifiers.require(id, "worker_id")).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a.b", "a/b", "é", "w\n"})
    void shouldRejectInvalidIdentifiersNamingTheField(String id) {
        assertThat(Identifiers.isValid(id)).isFalse();
        assertThatThrownBy(() -> Identifiers.require(id, "worker_id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("worker_id must be");
    }

    @Test
    void shouldEnforceTheLengthLimit() {
        assertThat(Identifiers.isValid("a".repeat(128))).isTrue();
        assertThat(Identifiers.isValid("a".repeat(129))).isFalse();
        assertThat(Identifiers.isValid(null)).isFalse();
    }

    @Test
    void shouldSanitizeHostNamesIntoIdentifiers() {
        assertThat(Identifiers.sanitize("node-1.cluster.local")).isEqualTo("node-1-cluster-local");
        assertThat(Identifiers.sanitize("x".repeat(300))).hasSize(128);
        assertThat(Identifiers.sanitize("")).isEqualTo("worker");
        assertThat(Identifiers.isValid(Identifiers.sanitize("ünïcode host"))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"PERMANENT_ERROR", "SECURITY_ERROR", "DEPENDENCY_ERROR",
        "CONTRACT_VIOLATION_ERROR"})
    void shouldQuarantineOnPermanentTypeErrors(ErrorCode code) {
        assertThat(code.reaction()).isEqualTo(ErrorCode.Reaction.QUARANTINE);
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"INVALID_INPUT_ERROR", "INTEGRITY_MISMATCH_ERROR"})
    void shouldFailAtOnceOnBadInput(ErrorCode code) {
        assertThat(code.reaction()).isEqualTo(ErrorCode.Reaction.FAIL);
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"TRANSIENT_ERROR", "TIMEOUT_ERROR", "RESOURCE_EXHAUSTED_ERROR",
        "LIMIT_EXCEEDED_ERROR", "INTERNAL_ERROR", "DEPENDENCY_MISSING_ERROR", "LATE_RESULT"})
    void shouldRetryEverythingElse(ErrorCode code) {
        assertThat(code.reaction()).isEqualTo(ErrorCode.Reaction.RETRY);
    }

    @Test
    void shouldParseWireCodesLeniently() {
        assertThat(ErrorCode.fromWire("INVALID_INPUT_ERROR")).isEqualTo(ErrorCode.INVALID_INPUT_ERROR);
        assertThat(ErrorCode.fromWire("MY_CUSTOM_CODE")).isEqualTo(ErrorCode.TRANSIENT_ERROR);
        assertThat(ErrorCode.fromWire(null)).isEqualTo(ErrorCode.TRANSIENT_ERROR);
        assertThat(ErrorCode.parse("nope")).isEmpty();
    }
}
