package io.rxon.common.matching;

import static io.rxon.common.matching.MatchingFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxon.common.json.Json;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.WorkerRegistration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkerEligibilityTest {

    private static final String TASK_TYPE = "resize";

    private static final WorkerRegistration GPU_WORKER = parse("""
            {"worker_id":"gpu-1",
             "supported_skills":[{"name":"resize","type":"image","version":"1.2",
                                  "properties":{"price":0.5,"category":"media"}}],
             "resources":{"devices":[{"type":"gpu","model":"NVIDIA GeForce RTX 4090","properties":{"vram_gb":24}}],
                          "properties":{"cpu_cores":8,"ram_gb":32}},
             "installed_software":{"python":"3.11","ffmpeg":"6.0"},
             "installed_artifacts":[{"name":"llama","version":"2.0","properties":{"quantization":"fp16"}}],
             "capabilities":{"extra":{"region":"eu","websockets":true}}}
            """, WorkerRegistration.class);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "eligible", textBlock = """
            {}                                                                                         | eligible
            {"resources":{}}                                                                           | eligible
            {"resources":{"cpu_cores":4}}                                                              | eligible
            {"resources":{"cpu_cores":16}}                                                             | resource_mismatch
            {"resources":{"ram_gb":64}}                                                                | resource_mismatch
            {"resources":{"devices":[{"type":"gpu","model":"rtx 4090"}],"properties":{"cpu_cores":4}}} | eligible
            {"resources":{"devices":[{"type":"gpu"},{"type":"gpu"}]}}                                  | resource_mismatch
            {"installed_artifacts":[]}                                                                 | eligible
            {"installed_artifacts":["llama"]}                                                          | eligible
            {"installed_artifacts":["llama","whisper"]}                                                | artifact_mismatch: whisper
            {"installed_artifacts":[{"name":"llama","version":"2.0"}]}                                 | eligible
            {"installed_artifacts":[{"name":"llama","version":"3.0"}]}                                 | artifact_mismatch: llama
            {"installed_artifacts":[{"name":"llama","properties":{"quantization":"int8"}}]}            | artifact_mismatch: llama
            {"installed_software":{"python":"any"}}                                                    | eligible
            {"installed_software":{"python":"3.11","ffmpeg":"6.0"}}                                    | eligible
            {"installed_software":{"python":"3.12"}}                                                   | software_mismatch: python
            {"installed_software":{"python":3.11}}                                                     | software_mismatch: python
            {"installed_software":{"cuda":"any"}}                                                      | software_mismatch: cuda
            {"skill_type":"image","skill_version":"1.2"}                                               | eligible
            {"skill_type":"video"}                                                                     | skill_mismatch: skill_type
            {"skill_type":""}                                                                          | skill_mismatch: skill_type
            {"skill_version":"2.0"}                                                                    | skill_mismatch: skill_version
            {"skill":{"category":"media"}}                                                             | eligible
            {"skill":{"type":"image","price":0.5}}                                                     | eligible
            {"skill":{"category":"audio"}}                                                             | skill_mismatch: category
            {"skill":{"description":"Resizes"}}                                                        | skill_mismatch: description
            {"skill":{"colour":null}}                                                                  | eligible
            {"extra_requirements":{"region":"eu"}}                                                     | eligible
            {"extra_requirements":{"websockets":1}}                                                    | eligible
            {"extra_requirements":{"region":"us"}}                                                     | extra_mismatch: region
            {"extra_requirements":{"gpu_direct":true}}                                                 | extra_mismatch: gpu_direct
            {"extra_requirements":{"gpu_direct":null}}                                                 | eligible
            """)
    void shouldNameTheBrokenRuleWhenWorkerDoesNotMeetTheRequirements(String requirements, String reason) {
        // given
        Requirements wanted = parse(requirements, Requirements.class);

        // when
        Eligibility verdict = WorkerEligibility.evaluate(GPU_WORKER, TASK_TYPE, wanted);

        // then
        assertThat(verdict.reason()).isEqualTo(reason);
        assertThat(verdict.isEligible()).isEqualTo(reason == null);
    }

    @Test
    void shouldNotFindTheSkillWhenNoSkillIsNamedLikeTheTaskType() {
        // given
        Requirements wanted = Requirements.NONE;

        // when
        Eligibility verdict = WorkerEligibility.evaluate(GPU_WORKER, "transcode", wanted);

        // then
        assertThat(verdict.rejection()).isEqualTo(Rejection.SKILL_NOT_FOUND);
        assertThat(verdict.reason()).isEqualTo("skill_not_found: transcode");
    }

    @Test
    void shouldNotFallBackToTheSkillTypeWhenLookingForTheTaskType() {
        // given
        WorkerRegistration worker = parse("""
                {"worker_id":"w","supported_skills":[null,{"name":"resize_v2","type":"resize"}]}
                """, WorkerRegistration.class);

        // when
        Eligibility verdict = WorkerEligibility.evaluate(worker, TASK_TYPE, null);

        // then
        assertThat(verdict.reason()).isEqualTo("skill_not_found: resize");
    }

    @Test
    void shouldNotFindTheSkillWhenWorkerDeclaresNoSkills() {
        // given
        WorkerRegistration worker = parse("{\"worker_id\":\"w\"}", WorkerRegistration.class);

        // when
        Eligibility verdict = WorkerEligibility.evaluate(worker, TASK_TYPE, Requirements.NONE);

        // then
        assertThat(verdict.reason()).isEqualTo("skill_not_found: resize");
    }

    @ParameterizedTest(name = "worker resources {0} vs required {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "eligible", textBlock = """
            null              | {"cpu_cores":1} | missing_worker_resources
            {}                | {"cpu_cores":1} | missing_worker_resources
            null              | {"devices":[]}  | missing_worker_resources
            null              | {}              | eligible
            null              | null            | eligible
            {"properties":{}} | {"devices":[]}  | eligible
            {"properties":{}} | {"cpu_cores":1} | resource_mismatch
            """)
    void shouldRequireDeclaredResourcesWhenTheJobAsksForResources(
            String workerResources, String required, String reason) {
        // given
        WorkerRegistration worker = parse("""
                {"worker_id":"w","supported_skills":[{"name":"resize"}],"resources":%s}
                """.formatted(workerResources), WorkerRegistration.class);
        Requirements wanted = parse("{\"resources\":" + required + "}", Requirements.class);

        // when
        Eligibility verdict = WorkerEligibility.evaluate(worker, TASK_TYPE, wanted);

        // then
        assertThat(verdict.reason()).isEqualTo(reason);
    }

    @Test
    void shouldMissEveryArtifactAndExtraWhenWorkerDeclaresNone() {
        // given
        WorkerRegistration bare = parse("""
                {"worker_id":"w","supported_skills":[{"name":"resize"}],"capabilities":{"hostname":"h"}}
                """, WorkerRegistration.class);
        WorkerRegistration noCapabilities = parse("""
                {"worker_id":"w","supported_skills":[{"name":"resize"}]}
                """, WorkerRegistration.class);

        // when / then
        assertThat(WorkerEligibility.evaluate(bare, TASK_TYPE, parse("""
                {"installed_artifacts":["llama"]}""", Requirements.class)).reason())
                .isEqualTo("artifact_mismatch: llama");
        assertThat(WorkerEligibility.evaluate(bare, TASK_TYPE, parse("""
                {"installed_software":{"python":"any"}}""", Requirements.class)).reason())
                .isEqualTo("software_mismatch: python");
        assertThat(WorkerEligibility.evaluate(bare, TASK_TYPE, parse("""
                {"extra_requirements":{"region":"eu"}}""", Requirements.class)).reason())
                .isEqualTo("extra_mismatch: region");
        assertThat(WorkerEligibility.evaluate(noCapabilities, TASK_TYPE, parse("""
                {"extra_requirements":{"region":"eu"}}""", Requirements.class)).reason())
                .isEqualTo("extra_mismatch: region");
    }

    @Test
    void shouldAcceptAnyVersionWhenSoftwareIsInstalledWithoutOne() {
        // given
        WorkerRegistration worker = new WorkerRegistration("w", null, List.of(SkillInfo.named(TASK_TYPE)),
                null, null, null, nullValuedSoftware(), null, null, null, null, null, null);
        Requirements wanted = parse("{\"installed_software\":{\"cuda\":\"any\"}}", Requirements.class);

        // when
        Eligibility verdict = WorkerEligibility.evaluate(worker, TASK_TYPE, wanted);

        // then
        assertThat(verdict.isEligible()).isTrue();
    }

    @ParameterizedTest(name = "status {0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "eligible", textBlock = """
            draining | worker_is_draining
            idle     | eligible
            busy     | eligible
            active   | eligible
            """)
    void shouldRejectTheWorkerWhenItIsDraining(String status, String reason) {
        // given
        Requirements wanted = Requirements.NONE;

        // when
        Eligibility verdict = WorkerEligibility.evaluate(GPU_WORKER, status, TASK_TYPE, wanted);

        // then
        assertThat(verdict.reason()).isEqualTo(reason);
    }

    /** For each rule, a requirement {@link #GPU_WORKER} breaks. */
    private static final Map<String, Object> BROKEN_RULES = Map.of(
            "resources", Map.of("cpu_cores", 99),
            "installed_artifacts", List.of("x"),
            "installed_software", Map.of("x", "any"),
            "skill_type", "x",
            "skill", Map.of("category", "x"),
            "extra_requirements", Map.of("x", 1));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            resources installed_artifacts installed_software skill_type skill extra_requirements | resource_mismatch
            installed_artifacts installed_software skill_type skill extra_requirements           | artifact_mismatch: x
            installed_software skill_type skill extra_requirements                               | software_mismatch: x
            skill_type skill extra_requirements                                                  | skill_mismatch: skill_type
            skill extra_requirements                                                             | skill_mismatch: category
            extra_requirements                                                                   | extra_mismatch: x
            """)
    void shouldReportTheFirstBrokenRuleInReferenceOrderWhenSeveralAreBroken(String brokenRules, String reason) {
        // given
        Map<String, Object> job = new HashMap<>();
        for (String rule : brokenRules.split(" ")) {
            job.put(rule, BROKEN_RULES.get(rule));
        }
        Requirements wanted = Json.convert(job, Requirements.class);

        // when
        Eligibility verdict = WorkerEligibility.evaluate(GPU_WORKER, TASK_TYPE, wanted);

        // then
        assertThat(verdict.reason()).isEqualTo(reason);
    }

    @Test
    void shouldReportDrainingBeforeAnyOtherRuleWhenEverythingIsBroken() {
        // given
        Requirements wanted = parse("{\"resources\":{\"cpu_cores\":99}}", Requirements.class);

        // when
        Eligibility verdict = WorkerEligibility.evaluate(GPU_WORKER, "draining", "transcode", wanted);

        // then
        assertThat(verdict.rejection()).isEqualTo(Rejection.WORKER_DRAINING);
    }

    @Test
    void shouldRefuseToJudgeWhenWorkerOrTaskTypeIsMissing() {
        // given / when / then
        assertThatThrownBy(() -> WorkerEligibility.evaluate(null, TASK_TYPE, Requirements.NONE))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> WorkerEligibility.evaluate(GPU_WORKER, null, Requirements.NONE))
                .isInstanceOf(NullPointerException.class);
    }

    private static Map<String, String> nullValuedSoftware() {
        Map<String, String> software = new HashMap<>();
        software.put("cuda", null);
        return software;
    }
}
