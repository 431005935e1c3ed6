package io.rxon.deploy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of Kubernetes objects, from {@code helm template} output or from the files under {@code k8s/}, each
 * kept both as the raw YAML tree and (for built-in kinds) bound to its fabric8 model class by
 * {@link KubernetesSchema}. It exists so that the chart tests and the plain-manifest tests ask the same
 * questions ("the worker Deployment", "its ConfigMap") of either source.
 */
final class Manifests {

    /** One object: where it came from, its raw tree, and its typed form (null for custom resources). */
    record Manifest(String source, Map<String, Object> raw, HasMetadata typed) {

        String kind() {
            return (String) raw.get("kind");
        }

        String apiVersion() {
            return (String) raw.get("apiVersion");
        }

        @SuppressWarnings("unchecked")
        String name() {
            Object metadata = raw.get("metadata");
            return metadata instanceof Map<?, ?> map ? (String) ((Map<String, Object>) map).get("name") : null;
        }

        String id() {
            return kind() + "/" + name();
        }
    }

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final Pattern SOURCE_COMMENT = Pattern.compile("(?m)^# Source: (\\S+)");
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final List<Manifest> all;

    private Manifests(List<Manifest> all) {
        this.all = List.copyOf(all);
    }

    /**
     * Parses a multi-document YAML stream. Duplicate keys fail (Kubernetes would keep only one of them), so do
     * documents that are not mappings with a kind; typed binding failures are collected by the caller.
     */
    static Manifests parse(String yaml, String defaultSource) {
        List<Manifest> manifests = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            if (document.lines().allMatch(line -> line.isBlank() || line.stripLeading().startsWith("#"))) {
                continue;
            }
            Matcher source = SOURCE_COMMENT.matcher(document);
            String origin = source.find() ? source.group(1) : defaultSource;
            Map<String, Object> raw = readMap(document, origin);
            manifests.add(new Manifest(origin, raw, KubernetesSchema.bind(raw, origin)));
        }
        return new Manifests(manifests);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readMap(String document, String origin) {
        try {
            Object tree = YAML.readValue(document, Object.class);
            if (!(tree instanceof Map<?, ?>)) {
                throw new AssertionError(origin + ": a document is not a YAML mapping:\n" + document);
            }
            return new LinkedHashMap<>((Map<String, Object>) tree);
        } catch (JsonProcessingException e) {
            throw new AssertionError(origin + ": invalid YAML: " + e.getOriginalMessage() + "\n" + document, e);
        }
    }

    List<Manifest> all() {
        return all;
    }

    List<Manifest> ofKind(String kind) {
        return all.stream().filter(m -> kind.equals(m.kind())).toList();
    }

    Optional<Manifest> find(String kind, String name) {
        return all.stream().filter(m -> kind.equals(m.kind()) && name.equals(m.name())).findFirst();
    }

    Manifest get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " named " + name
                + " among " + all.stream().map(Manifest::id).toList()));
    }

    <T extends HasMetadata> List<T> typed(Class<T> type) {
        return all.stream().map(Manifest::typed).filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T typed(Class<T> type, String name) {
        return typed(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name
                        + " among " + all.stream().map(Manifest::id).toList()));
    }

    Deployment deployment(String name) {
        return typed(Deployment.class, name);
    }

    /** The deployments of one component (the label app.kubernetes.io/component). */
    List<Deployment> deployments(String component) {
        return typed(Deployment.class).stream()
                .filter(d -> component.equals(d.getMetadata().getLabels().get("app.kubernetes.io/component")))
                .toList();
    }

    static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /**
     * The environment a Deployment's first container sees from its ConfigMaps (envFrom) overlaid with its
     * plain {@code value} entries; secret references are not resolved.
     */
    Map<String, String> plainEnvironment(Deployment deployment) {
        Map<String, String> environment = new LinkedHashMap<>();
        Container container = container(deployment);
        if (container.getEnvFrom() != null) {
            container.getEnvFrom().stream().filter(source -> source.getConfigMapRef() != null)
                    .map(source -> typed(ConfigMap.class, source.getConfigMapRef().getName()))
                    .forEach(configMap -> environment.putAll(configMap.getData()));
        }
        if (container.getEnv() != null) {
            container.getEnv().stream().filter(variable -> variable.getValue() != null)
                    .forEach(variable -> environment.put(variable.getName(), variable.getValue()));
        }
        return environment;
    }
}
