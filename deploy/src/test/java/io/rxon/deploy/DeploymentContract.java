package io.rxon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What users of the chart and of the plain manifests rely on, checked the same way for both: valid objects,
 * hardened pods, probes on the health endpoints, workers that outlive their drain, credentials that only
 * ever come from Secret references, ingress timeouts longer than a long-poll, and the recommended labels.
 */
final class DeploymentContract {

    /** Environment variables that carry credentials: never a plain value, never in a ConfigMap. */
    static final Set<String> CREDENTIAL_VARIABLES = Set.of("RXON_WORKER_TOKEN", "RXON_WORKER_TOKENS",
            "RXON_CLIENT_TOKEN", "RXON_CLIENTS", "QUARKUS_DATASOURCE_PASSWORD", "QUARKUS_OIDC_CREDENTIALS_SECRET",
            "RXON_S3_ACCESS_KEY", "RXON_S3_SECRET_KEY", "RXON_OIDC_CLIENT_SECRET");
    private static final Pattern CREDENTIAL_LIKE =
            Pattern.compile(".*(TOKEN|SECRET|PASSWORD|ACCESS_KEY|CREDENTIAL).*");

    static final Map<String, String> HEALTH_PATHS = Map.of(
            "startup", "/q/health/started", "liveness", "/q/health/live", "readiness", "/q/health/ready");

    static final List<String> RECOMMENDED_LABELS = List.of("app.kubernetes.io/name", "app.kubernetes.io/instance",
            "app.kubernetes.io/version", "app.kubernetes.io/managed-by", "app.kubernetes.io/part-of");

    private static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(30);

    private DeploymentContract() {
    }

    /** Every check of this class that does not depend on the values used. */
    static void assertHolds(Manifests manifests) {
        assertObjectsAreValid(manifests);
        assertPodsAreHardened(manifests);
        assertProbesUseHealthEndpoints(manifests);
        assertWorkersOutliveTheirDrain(manifests);
        assertCredentialsOnlyComeFromSecretReferences(manifests);
        assertRoutesOutlastTheLongPoll(manifests);
        assertObjectsCarryRecommendedLabels(manifests);
    }

    static void assertObjectsAreValid(Manifests manifests) {
        assertThat(KubernetesSchema.problems(manifests)).as("problems the API server or controllers would have")
                .isEmpty();
    }

    static void assertPodsAreHardened(Manifests manifests) {
        for (Deployment deployment : manifests.typed(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            PodSecurityContext podContext = pod.getSecurityContext();
            assertThat(podContext).as(name + " pod securityContext").isNotNull();
            assertThat(podContext.getRunAsNonRoot()).as(name + " runAsNonRoot").isTrue();
            assertThat(podContext.getRunAsUser()).as(name + " runAsUser").isNotNull().isNotZero();
            assertThat(podContext.getSeccompProfile().getType()).as(name + " seccomp").isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).as(name + " mounts no API token").isFalse();
            for (Container container : pod.getContainers()) {
                SecurityContext context = container.getSecurityContext();
                String where = name + "/" + container.getName();
                assertThat(context).as(where + " securityContext").isNotNull();
                assertThat(context.getReadOnlyRootFilesystem()).as(where + " readOnlyRootFilesystem").isTrue();
                assertThat(context.getAllowPrivilegeEscalation()).as(where + " allowPrivilegeEscalation").isFalse();
                assertThat(context.getPrivileged()).as(where + " privileged").isNotEqualTo(Boolean.TRUE);
                assertThat(context.getCapabilities().getDrop()).as(where + " dropped capabilities").contains("ALL");
                assertThat(context.getCapabilities().getAdd()).as(where + " added capabilities").isNullOrEmpty();
                // A read-only root needs a writable /tmp (JVM, Vert.x file cache) and a data directory.
                assertThat(container.getVolumeMounts()).as(where + " writable mounts")
                        .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"))
                        .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/data"));
            }
        }
    }

    static void assertProbesUseHealthEndpoints(Manifests manifests) {
        for (Deployment deployment : manifests.typed(Deployment.class)) {
            Container container = Manifests.container(deployment);
            String where = deployment.getMetadata().getName();
            assertProbe(where + " startup", container.getStartupProbe(), HEALTH_PATHS.get("startup"));
            assertProbe(where + " liveness", container.getLivenessProbe(), HEALTH_PATHS.get("liveness"));
            assertProbe(where + " readiness", container.getReadinessProbe(), HEALTH_PATHS.get("readiness"));
        }
    }

    private static void assertProbe(String where, Probe probe, String path) {
        assertThat(probe).as(where + " probe").isNotNull();
        assertThat(probe.getHttpGet()).as(where + " probe is an HTTP GET").isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(where + " probe path").isEqualTo(path);
    }

    /** terminationGracePeriodSeconds > preStop + RXON_DRAIN_GRACE_PERIOD + the result flush, for every worker. */
    static void assertWorkersOutliveTheirDrain(Manifests manifests) {
        for (Deployment worker : manifests.deployments("worker")) {
            Map<String, String> environment = manifests.plainEnvironment(worker);
            long drain = seconds(environment.getOrDefault("RXON_DRAIN_GRACE_PERIOD", "30s"));
            long flush = seconds(environment.getOrDefault("RXON_WORKER_DRAIN_RESULT_FLUSH_TIMEOUT", "10s"));
            long preStop = preStopSeconds(Manifests.container(worker).getLifecycle());
            assertThat(worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                    .as("%s terminationGracePeriodSeconds vs preStop %ds + drain %ds + result flush %ds",
                            worker.getMetadata().getName(), preStop, drain, flush)
                    .isGreaterThan(preStop + drain + flush);
        }
    }

    /** The seconds a preStop hook sleeps (exec sleep N, or the sleep action); 0 without one. */
    static long preStopSeconds(Lifecycle lifecycle) {
        if (lifecycle == null || lifecycle.getPreStop() == null) {
            return 0;
        }
        var preStop = lifecycle.getPreStop();
        if (preStop.getSleep() != null) {
            return preStop.getSleep().getSeconds();
        }
        List<String> command = preStop.getExec().getCommand();
        assertThat(command).as("preStop command").hasSize(2).first().isEqualTo("sleep");
        return Long.parseLong(command.get(1));
    }

    static void assertCredentialsOnlyComeFromSecretReferences(Manifests manifests) {
        for (ConfigMap configMap : manifests.typed(ConfigMap.class)) {
            assertThat(configMap.getData().keySet()).as("credential keys in ConfigMap " + configMap.getMetadata()
                    .getName()).noneMatch(DeploymentContract::isCredential);
        }
        for (Deployment deployment : manifests.typed(Deployment.class)) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar variable : container.getEnv()) {
                    if (isCredential(variable.getName())) {
                        assertThat(variable.getValue()).as(variable.getName() + " as a plain value").isNull();
                        assertThat(variable.getValueFrom().getSecretKeyRef())
                                .as(variable.getName() + " comes from a Secret").isNotNull();
                    }
                }
            }
        }
    }

    /** No Secret with data is rendered, and every secretKeyRef names one of the given (existing) Secrets. */
    static void assertOnlyExistingSecretsAreReferenced(Manifests manifests, Set<String> existingSecrets) {
        assertThat(manifests.typed(Secret.class)).as("Secrets rendered although existingSecret names them")
                .isEmpty();
        assertThat(secretReferences(manifests)).as("Secrets the pods read").isNotEmpty()
                .allSatisfy(name -> assertThat(existingSecrets).contains(name));
    }

    static List<String> secretReferences(Manifests manifests) {
        return manifests.typed(Deployment.class).stream()
                .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                .flatMap(c -> c.getEnv().stream())
                .filter(v -> v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null)
                .map(v -> v.getValueFrom().getSecretKeyRef().getName())
                .distinct().toList();
    }

    static boolean isCredential(String name) {
        return CREDENTIAL_VARIABLES.contains(name)
                || CREDENTIAL_LIKE.matcher(name).matches() && !name.endsWith("_URL") && !name.endsWith("_ID");
    }

    /** Ingress proxy timeouts and HTTPRoute request timeouts exceed the orchestrator's long-poll. */
    static void assertRoutesOutlastTheLongPoll(Manifests manifests) {
        Duration poll = pollTimeout(manifests);
        for (Ingress ingress : manifests.typed(Ingress.class)) {
            Map<String, String> annotations = ingress.getMetadata().getAnnotations();
            assertThat(annotations).as("ingress annotations").isNotNull();
            for (String key : List.of("nginx.ingress.kubernetes.io/proxy-read-timeout",
                    "nginx.ingress.kubernetes.io/proxy-send-timeout", "nginx.org/proxy-read-timeout",
                    "nginx.org/proxy-send-timeout")) {
                assertThat(annotations).as("ingress annotations").containsKey(key);
                assertThat(seconds(annotations.get(key))).as(key + " vs the long-poll").isGreaterThan(poll.toSeconds());
            }
            assertThat(annotations).as("WebSocket support on NGINX Inc's controller")
                    .containsKey("nginx.org/websocket-services");
        }
        for (HTTPRoute route : manifests.typed(HTTPRoute.class)) {
            route.getSpec().getRules().forEach(rule -> assertThat(seconds(rule.getTimeouts().getRequest()))
                    .as("HTTPRoute request timeout vs the long-poll").isGreaterThan(poll.toSeconds()));
        }
    }

    static Duration pollTimeout(Manifests manifests) {
        return manifests.deployments("orchestrator").stream().findFirst()
                .map(manifests::plainEnvironment)
                .map(env -> env.get("RXON_ORCHESTRATOR_TIMING_POLL_TIMEOUT"))
                .map(value -> Duration.ofSeconds(seconds(value)))
                .orElse(DEFAULT_POLL_TIMEOUT);
    }

    static void assertObjectsCarryRecommendedLabels(Manifests manifests) {
        for (Manifests.Manifest manifest : manifests.all()) {
            if ("Namespace".equals(manifest.kind())) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> labels = (Map<String, Object>) ((Map<String, Object>) manifest.raw().get("metadata"))
                    .get("labels");
            assertThat(labels).as(manifest.id() + " labels").isNotNull().containsKeys(
                    RECOMMENDED_LABELS.toArray(String[]::new));
            assertThat(labels.get("app.kubernetes.io/part-of")).as(manifest.id() + " part-of").isEqualTo("rxon");
        }
        for (Deployment deployment : manifests.typed(Deployment.class)) {
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .as(deployment.getMetadata().getName() + " pod labels")
                    .containsKeys(RECOMMENDED_LABELS.toArray(String[]::new))
                    .containsKey("app.kubernetes.io/component");
        }
    }

    /** "30s", "2m", "1h30m" or a bare number of seconds. */
    static long seconds(String value) {
        String text = value.strip();
        if (text.matches("[0-9]+")) {
            return Long.parseLong(text);
        }
        return Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT)).toSeconds();
    }
}
