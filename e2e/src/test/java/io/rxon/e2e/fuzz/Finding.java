package io.rxon.e2e.fuzz;

/** A probe that got the wrong answer: what went wrong, the answer, and the request that caused it. */
public record Finding(String problem, Probe probe, int status, String answer) {

    /** The failure class: endpoint, what was wrong with the answer, the status and the kind of mutation. */
    public String group() {
        return probe.endpoint() + " | " + problem + " " + status + " | " + probe.mutation().replaceAll("\\d{3,}", "N");
    }

    @Override
    public String toString() {
        return group() + "\n    request: " + probe.describe() + "\n    answer: " + Probe.excerpt(answer, 300);
    }
}
