package io.rxon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart: lint, render with the defaults and with every feature switched on, validate each object
 * offline against the Kubernetes schemas, and check what installs rely on (replicas, Secrets, probes,
 * drain, timeouts, autoscaling, GPU scheduling, the embedded trial).
 */
class HelmChartTest {

    private static final String ORCHESTRATOR = "rxon-orchestrator";
    private static final String WORKER = "rxon-worker";

    @AfterEach
    void forgetClusterState() {
        HelmChart.fakeCluster().clear();
    }

    @Test
    void shouldPassHelmLintInStrictMode() {
        LintResult lint = HelmChart.lint();

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(message -> message.contains("[WARNING]")
                || message.contains("[ERROR]"));
    }

    static Stream<Arguments> valueVariants() {
        return Stream.of(
                Arguments.of("defaults", HelmChart.defaults()),
                Arguments.of("ci/production-values.yaml", HelmChart.withCiValues("production-values.yaml")),
                Arguments.of("ci/embedded-values.yaml", HelmChart.withCiValues("embedded-values.yaml")),
                Arguments.of("ci/static-values.yaml", HelmChart.withCiValues("static-values.yaml")),
                Arguments.of("embedded on an emptyDir, no workers", HelmChart.defaults()
                        .set("embedded.enabled", true).set("embedded.persistence.enabled", false)
                        .set("worker.enabled", false)),
                Arguments.of("replicas, KEDA, ingress, HPA, ServiceMonitor", HelmChart.defaults()
                        .set("worker.replicaCount", 6).set("worker.keda.enabled", true)
                        .set("ingress.enabled", true).set("orchestrator.autoscaling.enabled", true)
                        .set("serviceMonitor.enabled", true).set("networkPolicy.enabled", false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueVariants")
    void shouldRenderOnlyValidObjectsThatKeepTheDeploymentContract(String variant, HelmChart chart) {
        Manifests manifests = chart.render();

        assertThat(manifests.all()).as(variant).isNotEmpty();
        DeploymentContract.assertHolds(manifests);
    }

    @Test
    void shouldRenderTheDefaultsForExternalPostgresKeycloakAndS3WithoutAnySecretObject() {
        Manifests manifests = HelmChart.defaults().render();

        assertThat(kinds(manifests)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ServiceAccount", 1L, "ConfigMap", 2L, "Service", 2L, "Deployment", 2L,
                "PodDisruptionBudget", 2L, "NetworkPolicy", 2L));
        Map<String, String> environment = manifests.plainEnvironment(manifests.deployment(ORCHESTRATOR));
        assertThat(environment)
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://rxon-postgresql:5432/rxon")
                .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://rxon-postgresql:5432/rxon")
                .containsEntry("RXON_AUTH_MODE", "oidc")
                .containsEntry("QUARKUS_OIDC_AUTH_SERVER_URL", "https://keycloak.example.com/realms/rxon")
                .containsEntry("RXON_S3_BUCKET", "rxon")
                .containsEntry("RXON_DATA_DIR", "/data");
        DeploymentContract.assertOnlyExistingSecretsAreReferenced(manifests,
                Set.of("rxon-postgresql", "rxon-keycloak", "rxon-s3"));
    }

    @Test
    void shouldRunAsManyWorkersAndOrchestratorsAsTheValuesSay() {
        Manifests manifests = HelmChart.defaults()
                .set("worker.replicaCount", 7).set("orchestrator.replicaCount", 3).render();

        assertThat(manifests.deployment(WORKER).getSpec().getReplicas()).isEqualTo(7);
        assertThat(manifests.deployment(ORCHESTRATOR).getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void shouldReadEveryCredentialFromTheExistingSecretsItIsGiven() {
        Manifests manifests = HelmChart.withCiValues("production-values.yaml")
                .set("database.existingSecret", "pg-credentials").set("database.passwordKey", "pw")
                .set("s3.existingSecret", "minio-keys").render();

        DeploymentContract.assertOnlyExistingSecretsAreReferenced(manifests,
                Set.of("pg-credentials", "rxon-keycloak", "minio-keys", "rxon-tokens"));
        Map<String, String> orchestratorSecrets = secretKeyRefs(manifests.deployment(ORCHESTRATOR));
        assertThat(orchestratorSecrets)
                .containsEntry("QUARKUS_DATASOURCE_PASSWORD", "pg-credentials/pw")
                .containsEntry("QUARKUS_OIDC_CREDENTIALS_SECRET", "rxon-keycloak/client-secret")
                .containsEntry("RXON_S3_ACCESS_KEY", "minio-keys/access-key")
                .containsEntry("RXON_S3_SECRET_KEY", "minio-keys/secret-key")
                .containsEntry("RXON_WORKER_TOKEN", "rxon-tokens/worker-token")
                .containsEntry("RXON_CLIENT_TOKEN", "rxon-tokens/client-token")
                .containsEntry("RXON_WORKER_TOKENS", "rxon-tokens/worker-tokens")
                .containsEntry("RXON_CLIENTS", "rxon-tokens/clients");
        assertThat(secretKeyRefs(manifests.deployment(WORKER)))
                .containsEntry("RXON_OIDC_CLIENT_SECRET", "rxon-keycloak/worker-client-secret")
                .containsEntry("RXON_S3_ACCESS_KEY", "minio-keys/access-key")
                .doesNotContainKey("RXON_WORKER_TOKEN");
    }

    @Test
    void shouldGiveTheOrchestratorTheWebhookAllowListAndSigningKeyOnlyWhenTheyAreGiven() {
        // given the defaults, and values naming internal receivers and a Secret with the signing key
        Manifests defaults = HelmChart.defaults().render();
        Manifests configured = HelmChart.defaults()
                .set("webhooks.allowedHosts[0]", "hooks.ci.svc.cluster.local")
                .set("webhooks.allowedHosts[1]", "10.20.0.0/16")
                .set("webhooks.existingSecret", "rxon-webhooks").render();

        // then only the configured render passes them on, to the orchestrator alone
        assertThat(orchestratorEnvironment(defaults)).doesNotContainKeys("RXON_WEBHOOK_ALLOWED_HOSTS", "RXON_WEBHOOK_SECRET");
        assertThat(configured.plainEnvironment(configured.deployment(ORCHESTRATOR)))
                .containsEntry("RXON_WEBHOOK_ALLOWED_HOSTS", "hooks.ci.svc.cluster.local,10.20.0.0/16");
        assertThat(secretKeyRefs(configured.deployment(ORCHESTRATOR)))
                .containsEntry("RXON_WEBHOOK_SECRET", "rxon-webhooks/webhook-secret");
        assertThat(secretKeyRefs(configured.deployment(WORKER))).doesNotContainKey("RXON_WEBHOOK_SECRET");
    }

    @Test
    void shouldMakeTheOrchestratorAWorkerOfItsParentOnlyWhenAParentIsGiven() {
        // given the defaults, and values naming a parent, this orchestrator's id there and its token's Secret
        Manifests defaults = HelmChart.defaults().render();
        Manifests region = HelmChart.defaults().set("holarchy.parent.url", "https://central.example.org")
                .set("holarchy.parent.workerId", "region-eu").set("holarchy.parent.existingSecret", "rxon-parent")
                .set("holarchy.clientApiEnabled", false).render();

        // then only the region is told about a parent, and it serves only that parent
        assertThat(orchestratorEnvironment(defaults)).doesNotContainKeys("RXON_PARENT_URL", "RXON_PARENT_TOKEN")
                .containsEntry("RXON_CLIENT_API_ENABLED", "true").containsEntry("RXON_HOLARCHY_MAX_DEPTH", "8");
        assertThat(orchestratorEnvironment(region)).containsEntry("RXON_PARENT_URL", "https://central.example.org")
                .containsEntry("RXON_PARENT_WORKER_ID", "region-eu").containsEntry("RXON_CLIENT_API_ENABLED", "false")
                .containsEntry("RXON_PARENT_TOKEN", "rxon-parent/parent-token");
        assertThat(secretKeyRefs(region.deployment(WORKER))).doesNotContainKey("RXON_PARENT_TOKEN");
    }

    @Test
    void shouldPublishJobEventsToKafkaOnlyWhenBrokersAreGivenWithClientSettingsFromTheirSecret() {
        // given the defaults, and values naming brokers and a Secret of KAFKA_* client settings
        Manifests defaults = HelmChart.defaults().render();
        Manifests kafka = HelmChart.defaults().set("kafka.bootstrapServers", "kafka-bootstrap.kafka:9093")
                .set("kafka.existingSecret", "rxon-kafka").render();

        // then only the configured render connects the orchestrator, and loads the Secret whole into it alone
        assertThat(orchestratorEnvironment(defaults)).doesNotContainKeys("RXON_KAFKA_BOOTSTRAP_SERVERS",
                "RXON_KAFKA_TOPIC");
        assertThat(envFromSecrets(defaults.deployment(ORCHESTRATOR))).isEmpty();
        assertThat(kafka.plainEnvironment(kafka.deployment(ORCHESTRATOR)))
                .containsEntry("RXON_KAFKA_BOOTSTRAP_SERVERS", "kafka-bootstrap.kafka:9093")
                .containsEntry("RXON_KAFKA_TOPIC", "rxon.job-events")
                .containsEntry("RXON_KAFKA_WEBHOOK_GROUP", "rxon-webhooks");
        assertThat(envFromSecrets(kafka.deployment(ORCHESTRATOR))).containsExactly("rxon-kafka");
        assertThat(envFromSecrets(kafka.deployment(WORKER))).isEmpty();
        assertThat(kafka.plainEnvironment(kafka.deployment(WORKER))).doesNotContainKey("RXON_KAFKA_BOOTSTRAP_SERVERS");
        // and the replicas stay without session affinity, which nothing needs
        assertThat(kafka.typed(Service.class, ORCHESTRATOR).getSpec().getSessionAffinity()).isEqualTo("None");
        assertThat(HelmChart.defaults().set("kafka.bootstrapServers", "kafka bootstrap").renderFailure())
                .contains("bootstrapServers");
    }

    private static List<String> envFromSecrets(Deployment deployment) {
        return Manifests.container(deployment).getEnvFrom().stream().filter(source -> source.getSecretRef() != null)
                .map(source -> source.getSecretRef().getName()).toList();
    }

    private static Map<String, String> orchestratorEnvironment(Manifests render) {
        Map<String, String> environment = new java.util.HashMap<>(render.plainEnvironment(render.deployment(ORCHESTRATOR)));
        environment.putAll(secretKeyRefs(render.deployment(ORCHESTRATOR)));
        return environment;
    }

    @Test
    void shouldLeaveS3CredentialsToTheDefaultChainWhenNoSecretIsNamed() {
        Manifests manifests = HelmChart.withCiValues("production-values.yaml").set("s3.existingSecret", "")
                .set("serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn", "arn:aws:iam::1:role/rxon")
                .render();

        assertThat(manifests.typed(Deployment.class)).allSatisfy(deployment -> assertThat(secretKeyRefs(deployment))
                .doesNotContainKeys("RXON_S3_ACCESS_KEY", "RXON_S3_SECRET_KEY"));
        assertThat(manifests.plainEnvironment(manifests.deployment(ORCHESTRATOR)))
                .containsEntry("RXON_S3_ENDPOINT", "http://minio.minio.svc:9000")
                .containsEntry("RXON_S3_PRESIGN_ENDPOINT", "https://blobs.example.org")
                .containsEntry("RXON_S3_PATH_STYLE", "true");
        assertThat(manifests.plainEnvironment(manifests.deployment(WORKER)))
                .containsEntry("RXON_S3_ENDPOINT", "http://minio.minio.svc:9000")
                .doesNotContainKey("RXON_S3_PRESIGN_ENDPOINT");
        assertThat(manifests.typed(io.fabric8.kubernetes.api.model.ServiceAccount.class, "rxon").getMetadata()
                .getAnnotations()).containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::1:role/rxon");
    }

    @Test
    void shouldGiveWorkersTheStaticTokenWhenKeycloakIsOff() {
        Manifests manifests = HelmChart.withCiValues("static-values.yaml").render();

        Deployment worker = manifests.deployment(WORKER);
        assertThat(secretKeyRefs(worker)).containsEntry("RXON_WORKER_TOKEN", "rxon-tokens/worker-token")
                .doesNotContainKey("RXON_OIDC_CLIENT_SECRET");
        assertThat(manifests.plainEnvironment(worker))
                .containsEntry("RXON_ORCHESTRATOR_URL", "http://rxon-orchestrator:8080")
                .doesNotContainKeys("RXON_OIDC_TOKEN_URL", "RXON_OIDC_CLIENT_ID");
        assertThat(manifests.plainEnvironment(manifests.deployment(ORCHESTRATOR)))
                .containsEntry("RXON_AUTH_MODE", "static").doesNotContainKey("QUARKUS_OIDC_AUTH_SERVER_URL");
        assertThat(manifests.typed(Secret.class)).isEmpty();
    }

    @Test
    void shouldSignConsoleSessionsWithASecretEveryOrchestratorPodShares() {
        // given the defaults (oidc), static tokens, a Secret of the console's own, and the console off
        Manifests oidc = HelmChart.defaults().render();
        Manifests tokens = HelmChart.defaults().set("auth.mode", "static").render();
        Manifests own = HelmChart.defaults().set("console.existingSecret", "rxon-console")
                .set("console.sessionSecretKey", "key").render();
        Manifests off = HelmChart.defaults().set("console.enabled", false).render();

        // then the console's key comes from a shared Secret, and Keycloak login from the console's client
        assertThat(oidc.plainEnvironment(oidc.deployment(ORCHESTRATOR)))
                .containsEntry("RXON_CONSOLE_ENABLED", "true").containsEntry("RXON_CONSOLE_OIDC_CLIENT_ID", "rxon-console");
        assertThat(secretKeyRefs(oidc.deployment(ORCHESTRATOR)))
                .containsEntry("RXON_CONSOLE_SESSION_SECRET", "rxon-keycloak/client-secret")
                .containsEntry("RXON_CONSOLE_OIDC_CLIENT_SECRET", "rxon-keycloak/console-client-secret");
        assertThat(secretKeyRefs(tokens.deployment(ORCHESTRATOR)))
                .containsEntry("RXON_CONSOLE_SESSION_SECRET", "rxon-tokens/client-token")
                .doesNotContainKey("RXON_CONSOLE_OIDC_CLIENT_SECRET");
        assertThat(secretKeyRefs(own.deployment(ORCHESTRATOR)))
                .containsEntry("RXON_CONSOLE_SESSION_SECRET", "rxon-console/key");
        assertThat(off.plainEnvironment(off.deployment(ORCHESTRATOR))).containsEntry("RXON_CONSOLE_ENABLED", "false")
                .doesNotContainKey("RXON_CONSOLE_OIDC_CLIENT_ID");
        assertThat(secretKeyRefs(off.deployment(ORCHESTRATOR))).doesNotContainKeys("RXON_CONSOLE_SESSION_SECRET",
                "RXON_CONSOLE_OIDC_CLIENT_SECRET");
    }

    @Test
    void shouldGenerateRandomTokensOnlyWhenNoExistingSecretIsNamed() {
        Manifests manifests = HelmChart.defaults().set("auth.mode", "static").render();

        Secret tokens = manifests.typed(Secret.class, "rxon-tokens");
        assertThat(tokens.getData()).containsOnlyKeys("worker-token", "client-token")
                .allSatisfy((key, value) -> assertThat(Base64.getDecoder().decode(value)).hasSize(40));
        assertThat(tokens.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(secretKeyRefs(manifests.deployment(WORKER)))
                .containsEntry("RXON_WORKER_TOKEN", "rxon-tokens/worker-token");
    }

    @Test
    void shouldKeepTheGeneratedTokensWhenTheReleaseIsUpgraded() {
        String worker = Base64.getEncoder().encodeToString("worker-token-from-install".getBytes());
        String client = Base64.getEncoder().encodeToString("client-token-from-install".getBytes());
        HelmChart.fakeCluster().putSecret(HelmChart.NAMESPACE, "rxon-tokens",
                Map.of("worker-token", worker, "client-token", client));

        Manifests upgrade = HelmChart.withCiValues("embedded-values.yaml").render();

        assertThat(upgrade.typed(Secret.class, "rxon-tokens").getData())
                .containsEntry("worker-token", worker).containsEntry("client-token", client);
    }

    @Test
    void shouldPointEveryProbeAtTheQuarkusHealthEndpointsOnTheServicePorts() {
        Manifests manifests = HelmChart.withCiValues("production-values.yaml").render();

        assertThat(manifests.typed(Deployment.class)).hasSize(4).allSatisfy(deployment -> {
            Container container = Manifests.container(deployment);
            String port = container.getPorts().get(0).getName();
            assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(Stream.of(container.getStartupProbe(), container.getLivenessProbe(),
                    container.getReadinessProbe())).allSatisfy(p -> assertThat(p.getHttpGet().getPort().getStrVal())
                    .isEqualTo(port));
        });
        assertThat(Manifests.container(manifests.deployment(ORCHESTRATOR)).getPorts().get(0).getContainerPort())
                .isEqualTo(8080);
        assertThat(Manifests.container(manifests.deployment(WORKER)).getPorts().get(0).getContainerPort())
                .isEqualTo(8081);
    }

    @Test
    void shouldGiveWorkersMoreTimeToStopThanTheirDrainTakes() {
        Manifests manifests = HelmChart.defaults()
                .set("worker.drainGracePeriodSeconds", 120).set("worker.preStopSleepSeconds", 15).render();

        Deployment worker = manifests.deployment(WORKER);
        assertThat(manifests.plainEnvironment(worker)).containsEntry("RXON_DRAIN_GRACE_PERIOD", "120s");
        assertThat(DeploymentContract.preStopSeconds(Manifests.container(worker).getLifecycle())).isEqualTo(15);
        assertThat(worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isEqualTo(15 + 120 + 10 + 10L);
        DeploymentContract.assertWorkersOutliveTheirDrain(manifests);
    }

    @Test
    void shouldRefuseAWorkerGracePeriodThatWouldCutTheDrainShort() {
        String failure = HelmChart.defaults().set("worker.terminationGracePeriodSeconds", 35).renderFailure();

        assertThat(failure).contains("terminationGracePeriodSeconds (35) must exceed");
    }

    @Test
    void shouldScaleWorkerPoolsWithKedaOnQueuedPlusRunningTasksOfTheirTypes() {
        Manifests manifests = HelmChart.withCiValues("production-values.yaml").render();

        List<Manifests.Manifest> scaledObjects = manifests.ofKind("ScaledObject");
        assertThat(scaledObjects).extracting(Manifests.Manifest::name)
                .containsExactlyInAnyOrder("rxon-worker", "rxon-worker-gpu");
        Map<String, Object> gpu = spec(manifests.get("ScaledObject", "rxon-worker-gpu"));
        assertThat(gpu).containsEntry("minReplicaCount", 0).containsEntry("maxReplicaCount", 8)
                .containsEntry("scaleTargetRef", Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                        "name", "rxon-worker-gpu"));
        Map<String, Object> trigger = trigger(gpu);
        assertThat(trigger).containsEntry("type", "prometheus").containsEntry("metricType", "AverageValue");
        assertThat(metadata(trigger)).containsEntry("threshold", "1")
                .containsEntry("serverAddress", "http://prometheus-operated.monitoring.svc:9090")
                .containsEntry("query", "(sum(max by (type) (rxon_tasks_queued{type=\"render\"})) or vector(0))"
                        + " + (sum(max by (type) (rxon_tasks_running{type=\"render\"})) or vector(0))");
        Map<String, Object> cpu = metadata(trigger(spec(manifests.get("ScaledObject", "rxon-worker"))));
        assertThat(cpu).containsEntry("threshold", "4");
        assertThat((String) cpu.get("query")).contains("rxon_tasks_queued{type=~\"echo|sha256\"}",
                "rxon_tasks_running{type=~\"echo|sha256\"}");
        // KEDA owns the replica count of scaled pools; the fixed pool keeps its own.
        assertThat(manifests.deployment("rxon-worker").getSpec().getReplicas()).isNull();
        assertThat(manifests.deployment("rxon-worker-gpu").getSpec().getReplicas()).isNull();
        assertThat(manifests.deployment("rxon-worker-cpu-fixed").getSpec().getReplicas()).isEqualTo(4);
    }

    @Test
    void shouldScheduleAGpuPoolOnGpuNodesWithItsOwnSelectorAndDrain() {
        Manifests manifests = HelmChart.withCiValues("production-values.yaml").render();

        Deployment gpu = manifests.deployment("rxon-worker-gpu");
        var pod = gpu.getSpec().getTemplate().getSpec();
        Container container = Manifests.container(gpu);
        assertThat(container.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(pod.getTolerations()).extracting(Toleration::getKey).containsExactly("nvidia.com/gpu");
        assertThat(pod.getRuntimeClassName()).isEqualTo("nvidia");
        assertThat(pod.getVolumes()).filteredOn(volume -> "data".equals(volume.getName())).singleElement()
                .satisfies(volume -> {
                    assertThat(volume.getEphemeral()).isNotNull();
                    assertThat(volume.getEmptyDir()).isNull();
                });
        assertThat(gpu.getSpec().getSelector().getMatchLabels()).containsEntry("rxon.io/worker-pool", "gpu");
        assertThat(manifests.plainEnvironment(gpu)).containsEntry("RXON_WORKER_TAGS", "gpu")
                .containsEntry("RXON_WORKER_CONCURRENCY", "1").containsEntry("RXON_DRAIN_GRACE_PERIOD", "600s");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(5 + 600 + 10 + 10L);
        // The pool inherits what it does not override, and switches off what the default pool enables.
        assertThat(manifests.deployment("rxon-worker-gpu").getSpec().getTemplate().getSpec().getSecurityContext()
                .getRunAsUser()).isEqualTo(185L);
        assertThat(manifests.find("PodDisruptionBudget", "rxon-worker-cpu-fixed")).isEmpty();
        assertThat(manifests.find("ScaledObject", "rxon-worker-cpu-fixed")).isEmpty();
        assertThat(manifests.typed(PodDisruptionBudget.class, "rxon-worker-gpu").getSpec()
                .getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    }

    @Test
    void shouldKeepLongPollsWebSocketsAndEventStreamsOpenThroughTheIngressAndTheRoute() {
        Manifests manifests = HelmChart.withCiValues("production-values.yaml").render();

        Ingress ingress = manifests.typed(Ingress.class, "rxon");
        assertThat(ingress.getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off")
                .containsEntry("nginx.org/websocket-services", ORCHESTRATOR);
        assertThat(ingress.getSpec().getRules()).extracting(IngressRule::getHost).containsExactly("rxon.example.org");
        assertThat(ingress.getSpec().getRules().get(0).getHttp().getPaths())
                .extracting(path -> path.getPath()).containsExactly("/_worker", "/api", "/_public", "/console")
                .as("health and metrics stay inside the cluster").noneMatch(path -> path.startsWith("/q"));
        HTTPRoute route = manifests.typed(HTTPRoute.class, "rxon");
        assertThat(route.getSpec().getRules().get(0).getTimeouts().getRequest()).isEqualTo("3600s");
        DeploymentContract.assertRoutesOutlastTheLongPoll(manifests);
    }

    @Test
    void shouldRefuseIngressTimeoutsThatWouldCutALongPoll() {
        assertThat(HelmChart.defaults().set("ingress.enabled", true).set("ingress.timeoutSeconds", 30)
                .renderFailure()).contains("ingress.timeoutSeconds must exceed orchestrator.pollTimeoutSeconds");
        assertThat(HelmChart.defaults().set("httpRoute.enabled", true).set("orchestrator.pollTimeoutSeconds", 4000)
                .set("orchestrator.terminationGracePeriodSeconds", 4100)
                .renderFailure()).contains("httpRoute.timeoutSeconds must exceed");
    }

    @Test
    void shouldSwitchTracingOnInEveryPodOnlyWhenAnOtlpEndpointIsGiven() {
        // given the defaults, and values naming a collector
        Manifests defaults = HelmChart.defaults().render();
        Manifests traced = HelmChart.defaults().set("tracing.otlpEndpoint", "http://otel-collector.observability:4318")
                .render();

        // then only the configured render gives the orchestrator and the workers the endpoint and protocol
        assertThat(defaults.plainEnvironment(defaults.deployment(ORCHESTRATOR))).doesNotContainKey("RXON_OTLP_ENDPOINT");
        assertThat(defaults.plainEnvironment(defaults.deployment(WORKER))).doesNotContainKey("RXON_OTLP_ENDPOINT");
        for (String deployment : new String[] {ORCHESTRATOR, WORKER}) {
            assertThat(traced.plainEnvironment(traced.deployment(deployment)))
                    .containsEntry("RXON_OTLP_ENDPOINT", "http://otel-collector.observability:4318")
                    .containsEntry("RXON_OTLP_PROTOCOL", "http/protobuf");
        }
        assertThat(HelmChart.defaults().set("tracing.otlpEndpoint", "otel-collector:4318").renderFailure())
                .contains("otlpEndpoint");
    }

    @Test
    void shouldMountTheWorkflowDefinitionsWhereRxonWorkflowsDirPoints(@TempDir Path dir) throws IOException {
        // given a definition in the values (docs/WORKFLOWS.md)
        Path values = Files.writeString(dir.resolve("workflows.yaml"), """
                orchestrator:
                  workflows:
                    pipeline.yaml: |
                      document: {dsl: '1.0.0', namespace: t, name: pipeline, version: '1.0.0'}
                      do:
                        - a:
                            set: {x: 1}
                """);

        // when the chart renders with it and without
        Manifests manifests = HelmChart.defaults().valuesFile(values).render();
        Manifests defaults = HelmChart.defaults().render();

        // then the definition is a ConfigMap mounted where RXON_WORKFLOWS_DIR points, and nothing of it by default
        ConfigMap workflows = manifests.typed(ConfigMap.class, ORCHESTRATOR + "-workflows");
        assertThat(workflows.getData().get("pipeline.yaml")).contains("name: pipeline", "set: {x: 1}");
        Deployment orchestrator = manifests.deployment(ORCHESTRATOR);
        assertThat(manifests.plainEnvironment(orchestrator)).containsEntry("RXON_WORKFLOWS_DIR", "/etc/rxon/workflows");
        assertThat(orchestrator.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
                .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/etc/rxon/workflows"));
        assertThat(defaults.plainEnvironment(defaults.deployment(ORCHESTRATOR))).doesNotContainKey("RXON_WORKFLOWS_DIR");
        assertThat(defaults.typed(ConfigMap.class)).noneSatisfy(configMap ->
                assertThat(configMap.getMetadata().getName()).endsWith("-workflows"));
    }

    @Test
    void shouldPassTheJobRetentionToTheOrchestratorAndRefuseOneItCannotRead() {
        // given the defaults, a retention of zero (keep every job) and a value that is no duration
        Manifests defaults = HelmChart.defaults().render();
        Manifests keepAll = HelmChart.defaults().set("orchestrator.jobRetention", 0).render();

        // then the orchestrator gets them as RXON_JOB_RETENTION, and the schema refuses the last
        assertThat(defaults.plainEnvironment(defaults.deployment(ORCHESTRATOR)))
                .containsEntry("RXON_JOB_RETENTION", "7d");
        assertThat(keepAll.plainEnvironment(keepAll.deployment(ORCHESTRATOR))).containsEntry("RXON_JOB_RETENTION", "0");
        assertThat(HelmChart.defaults().set("orchestrator.jobRetention", "seven-days").renderFailure())
                .contains("jobRetention");
    }

    @Test
    void shouldAutoscaleTheOrchestratorWithAnHpaInsteadOfAFixedReplicaCount() {
        Manifests manifests = HelmChart.withCiValues("production-values.yaml").render();

        HorizontalPodAutoscaler hpa = manifests.typed(HorizontalPodAutoscaler.class, ORCHESTRATOR);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(ORCHESTRATOR);
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);
        assertThat(hpa.getSpec().getMetrics()).extracting(metric -> metric.getResource().getName())
                .containsExactly("cpu", "memory");
        assertThat(manifests.deployment(ORCHESTRATOR).getSpec().getReplicas()).isNull();
    }

    @Test
    void shouldScrapeTheOrchestratorAndEveryWorkerPoolWithServiceMonitors() {
        Manifests manifests = HelmChart.withCiValues("production-values.yaml").render();

        Map<String, Object> orchestrator = spec(manifests.get("ServiceMonitor", ORCHESTRATOR));
        assertThat(endpoint(orchestrator)).containsEntry("port", "http").containsEntry("path", "/q/metrics");
        Map<String, Object> workers = spec(manifests.get("ServiceMonitor", "rxon-worker"));
        assertThat(endpoint(workers)).containsEntry("port", "http-metrics").containsEntry("path", "/q/metrics");
        assertThat(manifests.get("ServiceMonitor", ORCHESTRATOR).raw()).extracting("metadata").extracting("labels")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("release", "kube-prometheus-stack");
        assertThat(manifests.typed(Service.class)).extracting(s -> s.getMetadata().getName())
                .contains("rxon-worker-metrics", "rxon-worker-gpu-metrics", "rxon-worker-cpu-fixed-metrics");
    }

    @Test
    void shouldRunTheEmbeddedTrialAsOneOrchestratorWithItsDatabaseOnAVolume() {
        Manifests manifests = HelmChart.withCiValues("embedded-values.yaml").render();

        Deployment orchestrator = manifests.deployment(ORCHESTRATOR);
        assertThat(orchestrator.getSpec().getReplicas()).isEqualTo(1);
        assertThat(orchestrator.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        PersistentVolumeClaim claim = manifests.typed(PersistentVolumeClaim.class, "rxon-orchestrator-data");
        assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("2Gi"));
        assertThat(orchestrator.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(volume -> "data".equals(volume.getName()))
                .singleElement().satisfies(volume -> assertThat(volume.getPersistentVolumeClaim().getClaimName())
                        .isEqualTo("rxon-orchestrator-data"));
        Map<String, String> environment = manifests.plainEnvironment(orchestrator);
        assertThat(environment).containsEntry("RXON_AUTH_MODE", "static").containsEntry("RXON_DATA_DIR", "/data")
                .doesNotContainKeys("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL",
                        "QUARKUS_OIDC_AUTH_SERVER_URL", "RXON_S3_BUCKET");
        assertThat(secretKeyRefs(orchestrator)).doesNotContainKeys("QUARKUS_DATASOURCE_PASSWORD",
                "RXON_S3_ACCESS_KEY").containsEntry("RXON_WORKER_TOKEN", "rxon-tokens/worker-token");
        assertThat(manifests.find("PodDisruptionBudget", ORCHESTRATOR)).isEmpty();
        assertThat(manifests.deployment(WORKER).getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnEmbeddedOrchestratorWithAutoscaling() {
        assertThat(HelmChart.defaults().set("embedded.enabled", true).set("orchestrator.autoscaling.enabled", true)
                .renderFailure()).contains("embedded mode runs exactly one orchestrator");
    }

    @Test
    void shouldGiveWorkersSeveralOrchestratorsAndTheirMode() {
        // given a pool configured with two orchestrators in round-robin mode
        Manifests manifests = HelmChart.defaults()
                .set("worker.orchestrators[0].url", "http://rxon-a:8080").set("worker.orchestrators[0].priority", 1)
                .set("worker.orchestrators[0].weight", 3)
                .set("worker.orchestrators[1].url", "http://rxon-b:8080")
                .set("worker.orchestratorsMode", "round-robin").render();

        // then the workers get them as RXON_ORCHESTRATORS (JSON) and RXON_ORCHESTRATORS_MODE
        Map<String, String> environment = manifests.plainEnvironment(manifests.deployment(WORKER));
        assertThat(environment).containsEntry("RXON_ORCHESTRATORS_MODE", "round-robin");
        assertThat(environment.get("RXON_ORCHESTRATORS")).contains("\"url\":\"http://rxon-a:8080\"",
                "\"priority\":1", "\"weight\":3", "\"url\":\"http://rxon-b:8080\"");
        // and the defaults add neither, while a mode alone is passed on (for RXON_ORCHESTRATORS from a Secret)
        Manifests defaults = HelmChart.defaults().render();
        assertThat(defaults.plainEnvironment(defaults.deployment(WORKER)))
                .doesNotContainKeys("RXON_ORCHESTRATORS", "RXON_ORCHESTRATORS_MODE");
        Manifests modeOnly = HelmChart.defaults().set("worker.orchestratorsMode", "waterfall").render();
        assertThat(modeOnly.plainEnvironment(modeOnly.deployment(WORKER)))
                .containsEntry("RXON_ORCHESTRATORS_MODE", "waterfall").doesNotContainKey("RXON_ORCHESTRATORS");
        // and a mode the worker does not know is refused at render time
        assertThat(HelmChart.defaults().set("worker.orchestratorsMode", "random").renderFailure())
                .contains("/worker/orchestratorsMode");
    }

    @Test
    void shouldRefuseValuesTheSchemaDoesNotKnow() {
        assertThat(HelmChart.defaults().set("worker.replicas", 3).renderFailure())
                .contains("values don't meet the specifications of the schema").contains("replicas");
        assertThat(HelmChart.defaults().set("auth.mode", "ldap").renderFailure()).contains("/auth/mode");
        assertThat(HelmChart.defaults().set("worker.orchestratorUrl", "tcp://x:1").renderFailure())
                .contains("/worker/orchestratorUrl");
    }

    @Test
    void shouldRollOnlyThePoolsWhoseConfigurationChanged() {
        Manifests before = HelmChart.withCiValues("production-values.yaml").render();
        Manifests after = HelmChart.withCiValues("production-values.yaml").set("worker.concurrency", 8).render();

        // The GPU pool sets its own concurrency; the fixed CPU pool inherits the default pool's.
        assertThat(checksum(after, "rxon-worker")).isNotEqualTo(checksum(before, "rxon-worker"));
        assertThat(checksum(after, "rxon-worker-cpu-fixed")).isNotEqualTo(checksum(before, "rxon-worker-cpu-fixed"));
        assertThat(checksum(after, "rxon-worker-gpu")).isEqualTo(checksum(before, "rxon-worker-gpu"));
        assertThat(after.typed(ConfigMap.class, "rxon-worker-cpu-fixed").getData())
                .containsEntry("RXON_WORKER_CONCURRENCY", "8");
    }

    private static Map<String, Long> kinds(Manifests manifests) {
        return manifests.all().stream().collect(Collectors.groupingBy(Manifests.Manifest::kind, Collectors.counting()));
    }

    private static Map<String, String> secretKeyRefs(Deployment deployment) {
        return Manifests.container(deployment).getEnv().stream()
                .filter(v -> v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null)
                .collect(Collectors.toMap(EnvVar::getName, v -> v.getValueFrom().getSecretKeyRef().getName() + "/"
                        + v.getValueFrom().getSecretKeyRef().getKey(), (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private static String checksum(Manifests manifests, String deployment) {
        return manifests.deployment(deployment).getSpec().getTemplate().getMetadata().getAnnotations()
                .get("checksum/config");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Manifests.Manifest manifest) {
        return (Map<String, Object>) manifest.raw().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> trigger(Map<String, Object> spec) {
        return ((List<Map<String, Object>>) spec.get("triggers")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> trigger) {
        return (Map<String, Object>) trigger.get("metadata");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> endpoint(Map<String, Object> spec) {
        return ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
    }
}
