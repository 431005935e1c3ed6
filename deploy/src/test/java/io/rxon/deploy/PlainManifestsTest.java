package io.rxon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plain manifests under {@code k8s/} for users without Helm: every object valid against the Kubernetes
 * schemas, listed in the kustomization, keeping the same contract as the chart, and still equal to the chart
 * rendered with its defaults.
 */
class PlainManifestsTest {

    /** With -Drxon.k8s.regenerate=true, k8s/ is rewritten from the chart before the checks below run. */
    @BeforeAll
    static void regenerateWhenAsked() {
        if (Boolean.getBoolean("rxon.k8s.regenerate")) {
            PlainManifests.regenerate();
        }
    }

    @Test
    void shouldParseEveryManifestAsAValidKubernetesObject() {
        Manifests manifests = PlainManifests.parse();

        assertThat(manifests.all()).extracting(Manifests.Manifest::kind)
                .contains("Namespace", "Deployment", "Service", "ConfigMap");
        DeploymentContract.assertObjectsAreValid(manifests);
    }

    @Test
    void shouldKeepTheDeploymentContractOfTheChart() {
        Manifests manifests = PlainManifests.parse();

        DeploymentContract.assertHolds(manifests);
        DeploymentContract.assertOnlyExistingSecretsAreReferenced(manifests,
                Set.of("rxon-postgresql", "rxon-keycloak", "rxon-s3"));
        assertThat(manifests.typed(Secret.class)).isEmpty();
    }

    @Test
    void shouldRunTwoWorkersAndTwoOrchestratorsLikeTheChartDefaults() {
        Manifests manifests = PlainManifests.parse();

        assertThat(manifests.deployment("rxon-worker").getSpec().getReplicas()).isEqualTo(2);
        assertThat(manifests.deployment("rxon-orchestrator").getSpec().getReplicas()).isEqualTo(2);
        assertThat(manifests.typed(Deployment.class)).allSatisfy(deployment -> assertThat(
                deployment.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "kubectl")
                .doesNotContainKey("helm.sh/chart"));
    }

    @Test
    void shouldListEveryManifestInTheKustomization() {
        Map<String, Object> kustomization = PlainManifests.readKustomization();

        assertThat(kustomization).containsEntry("namespace", "rxon");
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) kustomization.get("resources");
        assertThat(resources).containsExactlyInAnyOrderElementsOf(PlainManifests.onDisk().keySet().stream()
                .filter(file -> !PlainManifests.KUSTOMIZATION.equals(file)).toList());
    }

    @Test
    void shouldStayEqualToTheChartRenderedWithItsDefaults() {
        Map<String, String> generated = PlainManifests.fromChart();

        assertThat(PlainManifests.onDisk())
                .as("k8s/ differs from the chart's defaults; regenerate it with"
                        + " ./mvnw -B verify -pl deploy -Drxon.k8s.regenerate=true")
                .isEqualTo(generated);
    }
}
