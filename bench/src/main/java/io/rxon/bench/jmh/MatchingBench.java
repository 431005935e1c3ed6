package io.rxon.bench.jmh;

import io.rxon.common.json.Json;
import io.rxon.common.matching.Requirements;
import io.rxon.common.matching.WorkerEligibility;
import io.rxon.common.protocol.WorkerRegistration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Smart matching: one requirement judged against 1,000 worker registrations, which is what the
 * orchestrator's Dispatcher.offer did for every submitted task before it walked only the waiting
 * receivers of the task's type and stopped at the first eligible one (the worst case of that walk,
 * when none is free), plus the requirement parsing TaskClaims does for every candidate row it reads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
public class MatchingBench {

    @Param({"1000"})
    public int workers;

    @Param({"none", "gpu", "rich"})
    public String requirement;

    private List<WorkerRegistration> fleet;
    private Requirements requirements;
    private String requirementsJsonb;
    private String taskType;

    @Setup
    public void setUp() {
        fleet = Fixtures.fleet(workers);
        Map<String, Object> json = switch (requirement) {
            case "gpu" -> Fixtures.gpuRequirementJson();
            case "rich" -> Fixtures.richRequirementJson();
            default -> Map.of();
        };
        requirements = json.isEmpty() ? Requirements.NONE : Json.convert(json, Requirements.class);
        requirementsJsonb = new String(Json.write(json), StandardCharsets.UTF_8);
        taskType = "gpu".equals(requirement) ? "sha256" : "echo";
    }

    /** Every registration judged once; returns how many are eligible. */
    @Benchmark
    public int evaluateFleet() {
        int eligible = 0;
        for (WorkerRegistration worker : fleet) {
            if (WorkerEligibility.evaluate(worker, "idle", taskType, requirements).isEligible()) {
                eligible++;
            }
        }
        return eligible;
    }

    /**
     * What TaskClaims.requirements does per candidate row: JSONB text to tree to Map to Requirements
     * (the Vert.x JsonObject encode step is not included).
     */
    @Benchmark
    @SuppressWarnings("unchecked")
    public Requirements parseRequirementsFromJsonb() {
        Map<String, Object> map = Json.convert(Json.tree(requirementsJsonb.getBytes(StandardCharsets.UTF_8)),
                Map.class);
        return map.isEmpty() ? Requirements.NONE : Json.convert(map, Requirements.class);
    }
}
