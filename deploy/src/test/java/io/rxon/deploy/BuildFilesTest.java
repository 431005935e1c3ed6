package io.rxon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The files around the chart that must agree with it: the CI workflows (pinned actions, least permissions,
 * the README's test command) and the Dockerfiles (the uid, ports and layout the chart assumes).
 */
class BuildFilesTest {

    private static final Path WORKFLOWS = HelmChart.REPOSITORY.resolve(".github/workflows");
    private static final Pattern USES = Pattern.compile("(?m)^\\s*(?:-\\s+)?uses:\\s*(\\S+?)@(\\S+)(.*)$");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void shouldPinEveryWorkflowActionByCommitShaWithItsVersionInAComment() throws IOException {
        for (Path workflow : workflows()) {
            Matcher uses = USES.matcher(Files.readString(workflow));
            int count = 0;
            while (uses.find()) {
                count++;
                assertThat(uses.group(2)).as("%s: %s", workflow.getFileName(), uses.group(1)).matches("[0-9a-f]{40}");
                assertThat(uses.group(3)).as("%s: version comment of %s", workflow.getFileName(), uses.group(1))
                        .matches("\\s+# v[0-9][0-9.]*\\s*");
            }
            assertThat(count).as(workflow + " uses actions").isPositive();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldGiveWorkflowsReadOnlyPermissionsAndCancelSupersededRuns() throws IOException {
        for (Path workflow : workflows()) {
            Map<String, Object> content = YAML.readValue(workflow.toFile(), Map.class);
            assertThat(content.get("permissions")).as(workflow + " default permissions")
                    .isEqualTo(Map.of("contents", "read"));
            assertThat((Map<String, Object>) content.get("concurrency")).as(workflow + " concurrency")
                    .containsEntry("cancel-in-progress", true);
            Map<String, Map<String, Object>> jobs = (Map<String, Map<String, Object>>) content.get("jobs");
            jobs.forEach((name, job) -> {
                Object permissions = job.get("permissions");
                if (permissions != null) {
                    // Only the publishing job may write, and only packages.
                    assertThat((Map<String, Object>) permissions).as(name + " permissions")
                            .containsEntry("contents", "read").containsOnlyKeys("contents", "packages");
                    assertThat(job.get("if").toString()).as(name + " runs only for main")
                            .contains("refs/heads/main");
                }
            });
        }
    }

    @Test
    void shouldRunTheReadmeTestCommandAndTheNativeProfileInCi() throws IOException {
        String ci = Files.readString(WORKFLOWS.resolve("ci.yml"));

        assertThat(ci).contains("run: ./mvnw -B verify", "cache: maven", "-Pnative",
                "-Dquarkus.native.container-build=true", "Dockerfile.jvm", "Dockerfile.native", "helm lint --strict");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"orchestrator", "worker"})
    void shouldBuildImagesThatRunAsTheUserAndPortTheChartExpects(String service) throws IOException {
        Path docker = HelmChart.REPOSITORY.resolve(service).resolve("src/main/docker");
        String jvm = Files.readString(docker.resolve("Dockerfile.jvm"));
        String nativeImage = Files.readString(docker.resolve("Dockerfile.native"));
        int port = "orchestrator".equals(service) ? 8080 : 8081;

        assertThat(jvm).contains("FROM ${BASE_IMAGE}", "ubi9/openjdk-17-runtime", "COPY --chown=185 target/quarkus-app/lib/",
                "USER 185", "EXPOSE " + port, "/deployments/quarkus-run.jar");
        assertThat(nativeImage).contains("ubi9/ubi-minimal", "target/*-runner", "USER 185", "EXPOSE " + port);
        assertThat(lastUser(jvm)).isEqualTo("185");
        assertThat(lastUser(nativeImage)).isEqualTo("185");
        assertThat(HelmChart.defaults().render().deployments(service)).singleElement().satisfies(deployment -> {
            assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(185L);
            assertThat(Manifests.container(deployment).getPorts().get(0).getContainerPort()).isEqualTo(port);
        });
    }

    @Test
    void shouldPassTheOrchestratorsOwnJvmOptionsInItsImage() throws IOException {
        Path orchestrator = HelmChart.REPOSITORY.resolve("orchestrator");
        String jvm = Files.readString(orchestrator.resolve("src/main/docker/Dockerfile.jvm"));
        List<String> options = Files.readAllLines(orchestrator.resolve("src/main/jvm/jvm.options")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();

        // the build copies src/main/jvm/ beside quarkus-run.jar; the image takes the file and passes it first
        assertThat(jvm).contains("target/quarkus-app/jvm.options /deployments/",
                "ENV JAVA_OPTS_APPEND=\"@/deployments/jvm.options ");
        assertThat(Files.readString(orchestrator.resolve("pom.xml"))).contains("<directory>src/main/jvm</directory>");
        assertThat(options).isNotEmpty().allSatisfy(option -> assertThat(option).matches("-XX:[A-Za-z]+=\\d+"));
    }

    private static String lastUser(String dockerfile) {
        List<String> users = dockerfile.lines().filter(line -> line.startsWith("USER ")).map(line -> line.substring(5))
                .toList();
        return users.get(users.size() - 1).strip();
    }

    private static List<Path> workflows() throws IOException {
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted()
                    .toList();
        }
    }
}
