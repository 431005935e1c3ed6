package io.rxon.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chart under {@code helm/rxon}, linted and rendered in-process by helm-java (Helm's own Go code), as
 * release {@value #RELEASE} in namespace {@value #NAMESPACE}. Renders use a fixed Kubernetes version (helm-java
 * would otherwise assume v1.20, below the chart's kubeVersion) and the {@link FakeKubernetesApi} for
 * {@code lookup}.
 */
final class HelmChart {

    static final Path REPOSITORY = Path.of(System.getProperty("rxon.repository.root", ".."))
            .toAbsolutePath().normalize();
    static final Path CHART = REPOSITORY.resolve("helm/rxon");
    static final String RELEASE = "rxon";
    static final String NAMESPACE = "rxon";
    static final String KUBE_VERSION = "1.31.0";

    private static FakeKubernetesApi cluster;

    private final List<Path> valuesFiles = new ArrayList<>();
    private final Map<String, Object> sets = new LinkedHashMap<>();

    private HelmChart() {
    }

    /** A render with the chart's default values, to which values files and --set values can be added. */
    static HelmChart defaults() {
        return new HelmChart();
    }

    /** A render with one of the value variants under {@code helm/rxon/ci/}. */
    static HelmChart withCiValues(String fileName) {
        return new HelmChart().valuesFile(CHART.resolve("ci").resolve(fileName));
    }

    HelmChart valuesFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no values file " + file);
        }
        valuesFiles.add(file);
        return this;
    }

    HelmChart set(String key, Object value) {
        sets.put(key, value);
        return this;
    }

    /** {@code helm lint --strict} (default values). */
    static LintResult lint() {
        return new Helm(CHART).lint().strict().call();
    }

    /** {@code helm template}, parsed and bound to the Kubernetes models. */
    Manifests render() {
        return Manifests.parse(renderYaml(), "helm template");
    }

    /** {@code helm template} output as text. */
    String renderYaml() {
        fakeCluster();
        TemplateCommand template = new Helm(CHART).template()
                .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        valuesFiles.forEach(template::withValuesFile);
        sets.forEach(template::set);
        return template.call();
    }

    /** The message with which {@code helm template} refuses these values; fails when it renders. */
    String renderFailure() {
        try {
            String output = renderYaml();
            throw new AssertionError("expected the chart to refuse " + sets + " " + valuesFiles + ", it rendered:\n"
                    + output);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /**
     * The fake API server behind {@code KUBECONFIG}. Refuses any other kubeconfig, so that a test run outside
     * Maven can never overwrite a real one or send requests to a real cluster.
     */
    static synchronized FakeKubernetesApi fakeCluster() {
        if (cluster == null) {
            String kubeconfig = System.getenv("KUBECONFIG");
            if (kubeconfig == null || !kubeconfig.replace('\\', '/').endsWith("target/fake-cluster/kubeconfig")) {
                throw new IllegalStateException("KUBECONFIG must be <module>/target/fake-cluster/kubeconfig (set by"
                        + " deploy/pom.xml for Surefire), so that the chart's lookup calls reach the in-process fake"
                        + " API server; it is " + kubeconfig);
            }
            cluster = FakeKubernetesApi.start(Path.of(kubeconfig));
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        }
        return cluster;
    }
}
