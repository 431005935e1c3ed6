package io.rxon.common.matching;

import java.util.Objects;

/**
 * The verdict on one worker for one task: eligible, or the first rule it broke with the offending
 * name (the missing skill, artifact, software, skill field or extra key), so a dispatcher can
 * both count rejections by {@link Rejection} and show a readable reason.
 *
 * @param rejection the broken rule, null when the worker is eligible
 * @param detail what broke it, null when there is nothing to name
 */
public record Eligibility(Rejection rejection, String detail) {

    public static final Eligibility ELIGIBLE = new Eligibility(null, null);

    public Eligibility {
        if (rejection == null && detail != null) {
            throw new IllegalArgumentException("an eligible verdict has no detail");
        }
    }

    public static Eligibility rejected(Rejection rejection) {
        return new Eligibility(Objects.requireNonNull(rejection, "rejection"), null);
    }

    public static Eligibility rejected(Rejection rejection, String detail) {
        return new Eligibility(Objects.requireNonNull(rejection, "rejection"), detail);
    }

    public boolean isEligible() {
        return rejection == null;
    }

    /**
     * The reason in the reference's wording, the code followed by {@code ": detail"} when there is
     * one ({@code resource_mismatch}, {@code skill_not_found: resize}); null when eligible.
     */
    public String reason() {
        if (rejection == null) {
            return null;
        }
        return detail == null ? rejection.code() : rejection.code() + ": " + detail;
    }
}
