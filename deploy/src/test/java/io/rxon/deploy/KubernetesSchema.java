package io.rxon.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Offline stand-in for the API server's validation. Each built-in object is bound to the fabric8 model class
 * of its apiVersion and kind with every leniency of Jackson switched off: an unknown field, a string where an
 * integer belongs (or the reverse), a duplicate key or an unknown kind fails. The models carry the Kubernetes
 * OpenAPI types but not its formats, so names, labels, ports and the references between objects (selectors,
 * probe ports, ConfigMaps, scale targets) are checked here as the API server or the controllers would. KEDA's
 * ScaledObject and the Prometheus Operator's ServiceMonitor have no model here and are checked field by field.
 */
final class KubernetesSchema {

    private static final Map<String, Class<? extends HasMetadata>> BUILT_IN = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("gateway.networking.k8s.io/v1/HTTPRoute", HTTPRoute.class));

    static final String SCALED_OBJECT = "keda.sh/v1alpha1/ScaledObject";
    static final String SERVICE_MONITOR = "monitoring.coreos.com/v1/ServiceMonitor";

    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Pattern PROMETHEUS_DURATION = Pattern.compile(
            "0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?");

    private static final ObjectMapper STRICT = strictMapper();
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> VOLUME_FIELDS =
            new com.fasterxml.jackson.core.type.TypeReference<>() { };

    private KubernetesSchema() {
    }

    /**
     * Binds one object to its model class, or checks a known custom resource and returns null.
     *
     * @throws AssertionError naming the source and the offending field when the object is not valid
     */
    static HasMetadata bind(Map<String, Object> raw, String source) {
        String type = raw.get("apiVersion") + "/" + raw.get("kind");
        Class<? extends HasMetadata> modelClass = BUILT_IN.get(type);
        if (modelClass != null) {
            try {
                return STRICT.convertValue(raw, modelClass);
            } catch (IllegalArgumentException e) {
                throw new AssertionError(source + ": " + type + " does not match the Kubernetes schema: "
                        + e.getMessage(), e);
            }
        }
        List<String> problems = switch (type) {
            case SCALED_OBJECT -> CustomResources.scaledObject(raw);
            case SERVICE_MONITOR -> CustomResources.serviceMonitor(raw);
            default -> List.of("unknown apiVersion/kind " + type + " (not a kind this chart may render)");
        };
        if (!problems.isEmpty()) {
            throw new AssertionError(source + ": " + type + " is not valid: " + problems);
        }
        return null;
    }

    /** Binds a fragment of a custom resource to a model class (e.g. an HPA behavior inside a ScaledObject). */
    static <T> T bindFragment(Object raw, Class<T> type) {
        return STRICT.convertValue(raw, type);
    }

    /** Everything the API server and the controllers would reject or leave dangling, across the whole set. */
    static List<String> problems(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        for (Manifests.Manifest manifest : manifests.all()) {
            if (!ids.add(manifest.id())) {
                problems.add("two objects are " + manifest.id());
            }
            checkMetadata(manifest, problems);
        }
        manifests.typed(Deployment.class).forEach(d -> checkDeployment(d, manifests, problems));
        manifests.typed(Service.class).forEach(s -> checkService(s, manifests, problems));
        manifests.typed(ConfigMap.class).forEach(c -> c.getData().keySet().stream()
                .filter(key -> !CONFIG_KEY.matcher(key).matches())
                .forEach(key -> problems.add("ConfigMap/" + name(c) + ": invalid key " + key)));
        manifests.typed(PodDisruptionBudget.class).forEach(pdb -> {
            requireSelects("PodDisruptionBudget/" + name(pdb), pdb.getSpec().getSelector(), manifests, problems);
            if ((pdb.getSpec().getMinAvailable() == null) == (pdb.getSpec().getMaxUnavailable() == null)) {
                problems.add("PodDisruptionBudget/" + name(pdb) + ": exactly one of minAvailable, maxUnavailable");
            }
        });
        manifests.typed(NetworkPolicy.class).forEach(np ->
                requireSelects("NetworkPolicy/" + name(np), np.getSpec().getPodSelector(), manifests, problems));
        manifests.typed(HorizontalPodAutoscaler.class).forEach(hpa -> {
            requireDeployment("HorizontalPodAutoscaler/" + name(hpa), hpa.getSpec().getScaleTargetRef().getName(),
                    manifests, problems);
            if (hpa.getSpec().getMinReplicas() > hpa.getSpec().getMaxReplicas()) {
                problems.add("HorizontalPodAutoscaler/" + name(hpa) + ": minReplicas > maxReplicas");
            }
        });
        manifests.typed(Ingress.class).forEach(ingress -> ingress.getSpec().getRules().forEach(rule ->
                rule.getHttp().getPaths().forEach(path -> {
                    IngressServiceBackend backend = path.getBackend().getService();
                    requireServicePort("Ingress/" + name(ingress), backend.getName(), backend.getPort().getName(),
                            backend.getPort().getNumber(), manifests, problems);
                    if (!path.getPath().startsWith("/") || path.getPathType() == null) {
                        problems.add("Ingress/" + name(ingress) + ": path needs a leading / and a pathType");
                    }
                })));
        manifests.typed(HTTPRoute.class).forEach(route -> route.getSpec().getRules().forEach(rule ->
                rule.getBackendRefs().forEach(ref -> requireServicePort("HTTPRoute/" + name(route), ref.getName(),
                        null, ref.getPort(), manifests, problems))));
        manifests.all().stream().filter(m -> m.typed() == null).forEach(m -> problems.addAll(
                CustomResources.references(m, manifests)));
        return problems;
    }

    private static void checkMetadata(Manifests.Manifest manifest, List<String> problems) {
        String name = manifest.name();
        String id = manifest.source() + " " + manifest.id();
        if (name == null || name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            problems.add(id + ": metadata.name is not a DNS-1123 subdomain");
        }
        if ("Service".equals(manifest.kind()) && name != null
                && (name.length() > 63 || !DNS_1035_LABEL.matcher(name).matches())) {
            problems.add(id + ": a Service name must be a DNS-1035 label");
        }
        if (manifest.typed() != null) {
            checkLabels(id, manifest.typed().getMetadata().getLabels(), problems);
            checkAnnotations(id, manifest.typed().getMetadata().getAnnotations(), problems);
        }
    }

    static void checkLabels(String where, Map<String, String> labels, List<String> problems) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            if (!qualifiedName(key)) {
                problems.add(where + ": invalid label key " + key);
            }
            if (value.length() > 63 || !(value.isEmpty() || LABEL_NAME.matcher(value).matches())) {
                problems.add(where + ": invalid value of label " + key + ": " + value);
            }
        });
    }

    private static void checkAnnotations(String where, Map<String, String> annotations, List<String> problems) {
        if (annotations != null) {
            annotations.keySet().stream().filter(key -> !qualifiedName(key))
                    .forEach(key -> problems.add(where + ": invalid annotation key " + key));
        }
    }

    private static boolean qualifiedName(String key) {
        int slash = key.indexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        return (prefix == null || prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches())
                && name.length() <= 63 && LABEL_NAME.matcher(name).matches();
    }

    private static void checkDeployment(Deployment deployment, Manifests manifests, List<String> problems) {
        String id = "Deployment/" + name(deployment);
        var spec = deployment.getSpec();
        if (spec.getSelector() == null || spec.getTemplate() == null) {
            problems.add(id + ": selector and template are required");
            return;
        }
        Map<String, String> podLabels = spec.getTemplate().getMetadata().getLabels();
        checkLabels(id + " pod template", podLabels, problems);
        if (!matches(spec.getSelector(), podLabels)) {
            problems.add(id + ": the selector does not match the pod template's labels (the API server refuses it)");
        }
        PodSpec pod = spec.getTemplate().getSpec();
        if (pod.getContainers() == null || pod.getContainers().isEmpty()) {
            problems.add(id + ": no containers");
            return;
        }
        List<Volume> podVolumes = pod.getVolumes() == null ? List.of() : pod.getVolumes();
        Set<String> volumes = podVolumes.stream().map(Volume::getName).collect(java.util.stream.Collectors.toSet());
        for (Volume volume : podVolumes) {
            Map<String, Object> sources = new java.util.HashMap<>(STRICT.convertValue(volume, VOLUME_FIELDS));
            sources.remove("name");
            if (sources.size() != 1) {
                problems.add(id + ": volume " + volume.getName() + " needs exactly one source, has " + sources.keySet());
            }
        }
        podVolumes.stream().filter(v -> v.getPersistentVolumeClaim() != null).forEach(v -> {
            String claim = v.getPersistentVolumeClaim().getClaimName();
            if (manifests.find("PersistentVolumeClaim", claim).isEmpty()) {
                problems.add(id + ": volume " + v.getName() + " uses PersistentVolumeClaim " + claim
                        + ", which is not rendered");
            }
        });
        String serviceAccount = pod.getServiceAccountName();
        if (serviceAccount != null && !"default".equals(serviceAccount)
                && manifests.find("ServiceAccount", serviceAccount).isEmpty()) {
            problems.add(id + ": ServiceAccount " + serviceAccount + " is not rendered");
        }
        for (Container container : pod.getContainers()) {
            checkContainer(id, container, volumes, manifests, problems);
        }
    }

    private static void checkContainer(String id, Container container, Set<String> volumes, Manifests manifests,
            List<String> problems) {
        String where = id + " container " + container.getName();
        if (container.getName() == null || container.getName().length() > 63
                || !DNS_LABEL.matcher(container.getName()).matches()) {
            problems.add(where + ": the container name is not a DNS-1123 label");
        }
        if (container.getImage() == null || container.getImage().isBlank()) {
            problems.add(where + ": no image");
        }
        List<ContainerPort> ports = container.getPorts() == null ? List.of() : container.getPorts();
        for (ContainerPort port : ports) {
            if (port.getName() != null && !validPortName(port.getName())) {
                problems.add(where + ": invalid port name " + port.getName());
            }
            if (port.getContainerPort() == null || port.getContainerPort() < 1 || port.getContainerPort() > 65535) {
                problems.add(where + ": containerPort out of range");
            }
        }
        Stream.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())
                .filter(Objects::nonNull).map(Probe::getHttpGet).filter(Objects::nonNull)
                .map(HTTPGetAction::getPort)
                .forEach(port -> {
                    boolean known = port.getStrVal() == null
                            || ports.stream().anyMatch(p -> port.getStrVal().equals(p.getName()));
                    if (!known) {
                        problems.add(where + ": a probe uses port " + port.getStrVal() + ", which it does not declare");
                    }
                });
        if (container.getVolumeMounts() != null) {
            container.getVolumeMounts().stream().filter(mount -> !volumes.contains(mount.getName()))
                    .forEach(mount -> problems.add(where + ": mounts unknown volume " + mount.getName()));
        }
        List<EnvVar> env = container.getEnv() == null ? List.of() : container.getEnv();
        Set<String> names = new java.util.HashSet<>();
        for (EnvVar variable : env) {
            if (!ENV_NAME.matcher(variable.getName()).matches()) {
                problems.add(where + ": invalid environment variable name " + variable.getName());
            }
            if (!names.add(variable.getName())) {
                problems.add(where + ": environment variable " + variable.getName() + " is set twice");
            }
            var from = variable.getValueFrom();
            if (from != null && from.getSecretKeyRef() != null) {
                String secret = from.getSecretKeyRef().getName();
                String key = from.getSecretKeyRef().getKey();
                manifests.find("Secret", secret).map(m -> (Secret) m.typed()).ifPresent(s -> {
                    boolean optional = Boolean.TRUE.equals(from.getSecretKeyRef().getOptional());
                    boolean present = s.getData() != null && s.getData().containsKey(key)
                            || s.getStringData() != null && s.getStringData().containsKey(key);
                    if (!present && !optional) {
                        problems.add(where + ": " + variable.getName() + " reads key " + key + " that Secret "
                                + secret + " does not have");
                    }
                });
            }
        }
        if (container.getEnvFrom() != null) {
            container.getEnvFrom().stream().filter(source -> source.getConfigMapRef() != null)
                    .map(source -> source.getConfigMapRef().getName())
                    .filter(name -> manifests.find("ConfigMap", name).isEmpty())
                    .forEach(name -> problems.add(where + ": envFrom ConfigMap " + name + " is not rendered"));
        }
    }

    private static void checkService(Service service, Manifests manifests, List<String> problems) {
        String id = "Service/" + name(service);
        Map<String, String> selector = service.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            problems.add(id + ": no selector");
            return;
        }
        List<Deployment> targets = manifests.typed(Deployment.class).stream()
                .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                        .containsAll(selector.entrySet()))
                .toList();
        if (targets.isEmpty()) {
            problems.add(id + ": the selector matches no pod template");
        }
        for (ServicePort port : service.getSpec().getPorts()) {
            if (port.getName() != null && !validPortName(port.getName())) {
                problems.add(id + ": invalid port name " + port.getName());
            }
            String target = port.getTargetPort() == null ? null : port.getTargetPort().getStrVal();
            if (target != null && targets.stream().map(Manifests::container).noneMatch(c -> c.getPorts() != null
                    && c.getPorts().stream().anyMatch(p -> target.equals(p.getName())))) {
                problems.add(id + ": targetPort " + target + " is not a port of the selected containers");
            }
        }
    }

    private static boolean validPortName(String name) {
        return name.length() <= 15 && PORT_NAME.matcher(name).matches() && !name.contains("--")
                && name.chars().anyMatch(Character::isLetter);
    }

    static void requireSelects(String who, LabelSelector selector, Manifests manifests, List<String> problems) {
        boolean any = manifests.typed(Deployment.class).stream()
                .anyMatch(d -> matches(selector, d.getSpec().getTemplate().getMetadata().getLabels()));
        if (!any) {
            problems.add(who + ": the selector matches no pod template");
        }
    }

    static void requireDeployment(String who, String name, Manifests manifests, List<String> problems) {
        if (manifests.find("Deployment", name).isEmpty()) {
            problems.add(who + ": scale target Deployment " + name + " is not rendered");
        }
    }

    private static void requireServicePort(String who, String service, String portName, Integer portNumber,
            Manifests manifests, List<String> problems) {
        var found = manifests.find("Service", service);
        if (found.isEmpty()) {
            problems.add(who + ": backend Service " + service + " is not rendered");
            return;
        }
        boolean port = ((Service) found.get().typed()).getSpec().getPorts().stream().anyMatch(p ->
                portName != null ? portName.equals(p.getName()) : Objects.equals(portNumber, p.getPort()));
        if (!port) {
            problems.add(who + ": Service " + service + " has no port " + (portName != null ? portName : portNumber));
        }
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null || labels == null) {
            return false;
        }
        boolean labelsMatch = selector.getMatchLabels() == null
                || labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
        boolean expressions = selector.getMatchExpressions() == null || selector.getMatchExpressions().stream()
                .allMatch(e -> switch (e.getOperator()) {
                    case "In" -> e.getValues().contains(labels.get(e.getKey()));
                    case "NotIn" -> !e.getValues().contains(labels.get(e.getKey()));
                    case "Exists" -> labels.containsKey(e.getKey());
                    case "DoesNotExist" -> !labels.containsKey(e.getKey());
                    default -> false;
                });
        return labelsMatch && expressions;
    }

    private static String name(HasMetadata object) {
        return object.getMetadata().getName();
    }

    private static ObjectMapper strictMapper() {
        SimpleModule noOpenEnds = new SimpleModule("no-unknown-kubernetes-fields");
        noOpenEnds.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                    BeanDeserializerBuilder builder) {
                // The models keep unknown fields in "additionalProperties"; the API server would refuse them.
                if (description.getBeanClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
                    builder.setAnySetter(null);
                    builder.setIgnoreUnknownProperties(false);
                }
                return builder;
            }
        });
        ObjectMapper mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .addModule(noOpenEnds)
                .build();
        // Kubernetes refuses 8080 where a string belongs (a ConfigMap value, an env value) and "8080" where an
        // integer belongs: no silent conversions either way.
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    /** Field-by-field checks of the two custom resources the chart may render. */
    private static final class CustomResources {

        private static final Set<String> SCALED_OBJECT_SPEC = Set.of("scaleTargetRef", "pollingInterval",
                "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount",
                "advanced", "triggers", "fallback");
        private static final Set<String> TRIGGER = Set.of("type", "name", "metadata", "metricType",
                "authenticationRef", "useCachedMetrics");
        private static final Set<String> SERVICE_MONITOR_SPEC = Set.of("selector", "endpoints", "namespaceSelector",
                "jobLabel", "targetLabels", "podTargetLabels", "sampleLimit", "targetLimit", "labelLimit",
                "labelNameLengthLimit", "labelValueLengthLimit", "attachMetadata", "scrapeProtocols",
                "fallbackScrapeProtocol", "scrapeClass", "bodySizeLimit", "keepDroppedTargets");
        private static final Set<String> ENDPOINT = Set.of("port", "targetPort", "path", "scheme", "interval",
                "scrapeTimeout", "honorLabels", "honorTimestamps", "relabelings", "metricRelabelings", "tlsConfig",
                "bearerTokenSecret", "authorization", "basicAuth", "oauth2", "params", "followRedirects",
                "enableHttp2", "filterRunning", "trackTimestampsStaleness", "proxyUrl");

        private CustomResources() {
        }

        static List<String> scaledObject(Map<String, Object> raw) {
            List<String> problems = new ArrayList<>();
            Map<String, Object> spec = map(raw.get("spec"), "spec", problems);
            unknownKeys(spec, SCALED_OBJECT_SPEC, "spec", problems);
            Map<String, Object> target = map(spec.get("scaleTargetRef"), "spec.scaleTargetRef", problems);
            nonEmptyString(target.get("name"), "spec.scaleTargetRef.name", problems);
            for (String field : List.of("pollingInterval", "cooldownPeriod", "minReplicaCount", "maxReplicaCount")) {
                if (spec.containsKey(field) && !(spec.get(field) instanceof Integer i && i >= 0)) {
                    problems.add("spec." + field + " must be a non-negative integer");
                }
            }
            if (spec.get("minReplicaCount") instanceof Integer min && spec.get("maxReplicaCount") instanceof Integer max
                    && min > max) {
                problems.add("minReplicaCount > maxReplicaCount");
            }
            Map<String, Object> advanced = map(spec.getOrDefault("advanced", Map.of()), "spec.advanced", problems);
            unknownKeys(advanced, Set.of("horizontalPodAutoscalerConfig", "restoreToOriginalReplicaCount",
                    "scalingModifiers"), "spec.advanced", problems);
            Map<String, Object> hpa = map(advanced.getOrDefault("horizontalPodAutoscalerConfig", Map.of()),
                    "spec.advanced.horizontalPodAutoscalerConfig", problems);
            unknownKeys(hpa, Set.of("name", "behavior"), "spec.advanced.horizontalPodAutoscalerConfig", problems);
            if (hpa.containsKey("behavior")) {
                try {
                    bindFragment(hpa.get("behavior"), HorizontalPodAutoscalerBehavior.class);
                } catch (IllegalArgumentException e) {
                    problems.add("spec.advanced.horizontalPodAutoscalerConfig.behavior: " + e.getMessage());
                }
            }
            if (!(spec.get("triggers") instanceof List<?> triggers) || triggers.isEmpty()) {
                problems.add("spec.triggers must be a non-empty list");
                return problems;
            }
            for (Object element : triggers) {
                Map<String, Object> trigger = map(element, "spec.triggers[]", problems);
                unknownKeys(trigger, TRIGGER, "spec.triggers[]", problems);
                nonEmptyString(trigger.get("type"), "spec.triggers[].type", problems);
                if (trigger.containsKey("metricType")
                        && !Set.of("AverageValue", "Value", "Utilization").contains(trigger.get("metricType"))) {
                    problems.add("spec.triggers[].metricType must be AverageValue, Value or Utilization");
                }
                Map<String, Object> metadata = map(trigger.get("metadata"), "spec.triggers[].metadata", problems);
                // KEDA's CRD declares metadata as map[string]string: numbers must be quoted.
                metadata.forEach((key, value) -> {
                    if (!(value instanceof String)) {
                        problems.add("spec.triggers[].metadata." + key + " must be a string");
                    }
                });
                if ("prometheus".equals(trigger.get("type"))) {
                    nonEmptyString(metadata.get("serverAddress"), "prometheus serverAddress", problems);
                    nonEmptyString(metadata.get("query"), "prometheus query", problems);
                    if (!(metadata.get("threshold") instanceof String t) || !t.matches("[0-9]+(\\.[0-9]+)?")) {
                        problems.add("prometheus threshold must be a number in a string");
                    }
                }
                if (trigger.containsKey("authenticationRef")) {
                    Map<String, Object> ref = map(trigger.get("authenticationRef"), "authenticationRef", problems);
                    nonEmptyString(ref.get("name"), "spec.triggers[].authenticationRef.name", problems);
                }
            }
            return problems;
        }

        static List<String> serviceMonitor(Map<String, Object> raw) {
            List<String> problems = new ArrayList<>();
            Map<String, Object> spec = map(raw.get("spec"), "spec", problems);
            unknownKeys(spec, SERVICE_MONITOR_SPEC, "spec", problems);
            try {
                bindFragment(spec.get("selector"), LabelSelector.class);
            } catch (IllegalArgumentException e) {
                problems.add("spec.selector: " + e.getMessage());
            }
            if (!(spec.get("endpoints") instanceof List<?> endpoints) || endpoints.isEmpty()) {
                problems.add("spec.endpoints must be a non-empty list");
                return problems;
            }
            for (Object element : endpoints) {
                Map<String, Object> endpoint = map(element, "spec.endpoints[]", problems);
                unknownKeys(endpoint, ENDPOINT, "spec.endpoints[]", problems);
                nonEmptyString(endpoint.get("port"), "spec.endpoints[].port", problems);
                if (!(endpoint.get("path") instanceof String path) || !path.startsWith("/")) {
                    problems.add("spec.endpoints[].path must start with /");
                }
                for (String field : List.of("interval", "scrapeTimeout")) {
                    if (endpoint.containsKey(field) && !(endpoint.get(field) instanceof String d
                            && PROMETHEUS_DURATION.matcher(d).matches())) {
                        problems.add("spec.endpoints[]." + field + " must be a Prometheus duration");
                    }
                }
            }
            return problems;
        }

        /** The references of a custom resource to other objects of the set. */
        @SuppressWarnings("unchecked")
        static List<String> references(Manifests.Manifest manifest, Manifests manifests) {
            List<String> problems = new ArrayList<>();
            Map<String, Object> spec = (Map<String, Object>) manifest.raw().get("spec");
            String type = manifest.apiVersion() + "/" + manifest.kind();
            if (SCALED_OBJECT.equals(type)) {
                String target = (String) ((Map<String, Object>) spec.get("scaleTargetRef")).get("name");
                requireDeployment(manifest.id(), target, manifests, problems);
                Object labels = ((Map<String, Object>) manifest.raw().get("metadata")).get("labels");
                checkLabels(manifest.id(), (Map<String, String>) labels, problems);
            } else if (SERVICE_MONITOR.equals(type)) {
                LabelSelector selector = bindFragment(spec.get("selector"), LabelSelector.class);
                List<Service> services = manifests.typed(Service.class).stream()
                        .filter(s -> matches(selector, s.getMetadata().getLabels())).toList();
                if (services.isEmpty()) {
                    problems.add(manifest.id() + ": the selector matches no Service");
                }
                for (Object endpoint : (List<Object>) spec.get("endpoints")) {
                    String port = (String) ((Map<String, Object>) endpoint).get("port");
                    services.stream().filter(s -> s.getSpec().getPorts().stream().noneMatch(p -> port.equals(p.getName())))
                            .forEach(s -> problems.add(manifest.id() + ": Service " + s.getMetadata().getName()
                                    + " has no port named " + port));
                }
            }
            return problems;
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> map(Object value, String path, List<String> problems) {
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            problems.add(path + " must be an object");
            return Map.of();
        }

        private static void unknownKeys(Map<String, Object> map, Collection<String> known, String path,
                List<String> problems) {
            map.keySet().stream().filter(key -> !known.contains(key))
                    .forEach(key -> problems.add(path + ": unknown field " + key));
        }

        private static void nonEmptyString(Object value, String path, List<String> problems) {
            if (!(value instanceof String s) || s.isBlank()) {
                problems.add(path + " must be a non-empty string");
            }
        }
    }
}
