package io.rxon.common.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EligibilityTest {

    @Test
    void shouldHaveNoReasonWhenEligible() {
        // given
        Eligibility verdict = Eligibility.ELIGIBLE;

        // when / then
        assertThat(verdict.isEligible()).isTrue();
        assertThat(verdict.rejection()).isNull();
        assertThat(verdict.reason()).isNull();
    }

    @ParameterizedTest(name = "{0} with detail {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            WORKER_DRAINING          |            | worker_is_draining
            MISSING_WORKER_RESOURCES |            | missing_worker_resources
            RESOURCE_MISMATCH        |            | resource_mismatch
            ARTIFACT_MISMATCH        | llama      | artifact_mismatch: llama
            SOFTWARE_MISMATCH        | python     | software_mismatch: python
            SKILL_NOT_FOUND          | resize     | skill_not_found: resize
            SKILL_MISMATCH           | skill_type | skill_mismatch: skill_type
            EXTRA_MISMATCH           | region     | extra_mismatch: region
            """)
    void shouldWordTheReasonLikeTheReferenceWhenRejected(Rejection rejection, String detail, String reason) {
        // given
        Eligibility verdict = Eligibility.rejected(rejection, detail);

        // when / then
        assertThat(verdict.isEligible()).isFalse();
        assertThat(verdict.reason()).isEqualTo(reason);
        assertThat(reason).startsWith(rejection.code());
    }

    @Test
    void shouldRefuseDetailWhenThereIsNoRejection() {
        // given / when / then
        assertThatThrownBy(() -> new Eligibility(null, "llama")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Eligibility.rejected(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Eligibility.rejected(null, "x")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldCarryNoDetailWhenRejectedWithoutOne() {
        // given
        Eligibility verdict = Eligibility.rejected(Rejection.RESOURCE_MISMATCH);

        // when / then
        assertThat(verdict.detail()).isNull();
        assertThat(verdict.reason()).isEqualTo("resource_mismatch");
    }
}
