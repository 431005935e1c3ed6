package io.rxon.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The plain manifests under {@code k8s/}: the chart rendered with its default values as release "rxon", minus
 * what only Helm needs (the chart label, config checksums), one file per template plus a Namespace and a
 * kustomization. This class both produces them from the chart and reads the committed ones, so a test can
 * prove they are still the chart's defaults; {@code -Drxon.k8s.regenerate=true} rewrites them.
 */
final class PlainManifests {

    static final Path DIRECTORY = HelmChart.REPOSITORY.resolve("k8s");
    static final String KUSTOMIZATION = "kustomization.yaml";
    static final String NAMESPACE_FILE = "namespace.yaml";

    private static final String HEADER = """
            # Generated from helm/rxon with its default values (release "rxon", namespace "rxon"); see
            # docs/DEPLOY.md, "Plain manifests". Regenerate with
            #   ./mvnw -B verify -pl deploy -Drxon.k8s.regenerate=true
            # Copy and edit these for your cluster; the deploy module's tests keep this copy equal to the chart.
            """;
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final Pattern SOURCE_COMMENT = Pattern.compile("(?m)^# Source: [^/]+/templates/(\\S+)");
    private static final ObjectMapper READER = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper WRITER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private PlainManifests() {
    }

    /** File name to content, as generated from the chart's defaults. */
    static Map<String, String> fromChart() {
        Map<String, List<Map<String, Object>>> byFile = new TreeMap<>();
        for (String document : DOCUMENT_SEPARATOR.split(HelmChart.defaults().renderYaml())) {
            Matcher source = SOURCE_COMMENT.matcher(document);
            if (!source.find()) {
                continue;
            }
            byFile.computeIfAbsent(source.group(1), file -> new ArrayList<>()).add(withoutHelmBookkeeping(read(document)));
        }
        Map<String, String> files = new TreeMap<>();
        byFile.forEach((file, objects) -> files.put(file, HEADER + String.join("---\n",
                objects.stream().map(PlainManifests::write).toList())));
        files.put(NAMESPACE_FILE, HEADER + write(namespace()));
        List<String> resources = new ArrayList<>(List.of(NAMESPACE_FILE));
        byFile.keySet().forEach(resources::add);
        Map<String, Object> kustomization = new LinkedHashMap<>();
        kustomization.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        kustomization.put("kind", "Kustomization");
        kustomization.put("namespace", HelmChart.NAMESPACE);
        kustomization.put("resources", resources);
        files.put(KUSTOMIZATION, HEADER + write(kustomization));
        return files;
    }

    /** File name to content, as committed under {@code k8s/}. */
    static Map<String, String> onDisk() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(DIRECTORY)) {
            for (Path path : paths.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                files.put(path.getFileName().toString(), Files.readString(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Every object of the committed manifests (the kustomization is not an object). */
    static Manifests parse() {
        StringBuilder all = new StringBuilder();
        onDisk().forEach((file, content) -> {
            if (!KUSTOMIZATION.equals(file)) {
                // Documents are tagged with their file so that failures name it.
                for (String document : DOCUMENT_SEPARATOR.split(content)) {
                    all.append("---\n# Source: k8s/").append(file).append('\n').append(document).append('\n');
                }
            }
        });
        return Manifests.parse(all.toString(), "k8s");
    }

    /** Replaces the committed files with freshly generated ones (and removes stale ones). */
    static void regenerate() {
        Map<String, String> generated = fromChart();
        try {
            Files.createDirectories(DIRECTORY);
            for (Map.Entry<String, String> file : onDisk().entrySet()) {
                if (!generated.containsKey(file.getKey())) {
                    Files.delete(DIRECTORY.resolve(file.getKey()));
                }
            }
            for (Map.Entry<String, String> file : generated.entrySet()) {
                Files.writeString(DIRECTORY.resolve(file.getKey()), file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> readKustomization() {
        return read(onDisk().get(KUSTOMIZATION));
    }

    private static Map<String, Object> namespace() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", HelmChart.NAMESPACE);
        metadata.put("labels", Map.of("app.kubernetes.io/part-of", "rxon"));
        Map<String, Object> namespace = new LinkedHashMap<>();
        namespace.put("apiVersion", "v1");
        namespace.put("kind", "Namespace");
        namespace.put("metadata", metadata);
        return namespace;
    }

    /** Drops the chart label and the config checksums; "managed-by" becomes kubectl. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutHelmBookkeeping(Map<String, Object> node) {
        for (Iterator<Map.Entry<String, Object>> entries = node.entrySet().iterator(); entries.hasNext();) {
            Map.Entry<String, Object> entry = entries.next();
            if (entry.getValue() instanceof Map<?, ?> child) {
                Map<String, Object> map = (Map<String, Object>) child;
                if ("labels".equals(entry.getKey())) {
                    map.remove("helm.sh/chart");
                    map.computeIfPresent("app.kubernetes.io/managed-by", (key, value) -> "kubectl");
                } else if ("annotations".equals(entry.getKey())) {
                    map.keySet().removeIf(key -> key.startsWith("checksum/"));
                    if (map.isEmpty()) {
                        entries.remove();
                        continue;
                    }
                }
                withoutHelmBookkeeping(map);
            } else if (entry.getValue() instanceof List<?> list) {
                list.stream().filter(Map.class::isInstance).map(item -> (Map<String, Object>) item)
                        .forEach(PlainManifests::withoutHelmBookkeeping);
            }
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String yaml) {
        try {
            return READER.readValue(yaml, LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError("invalid YAML: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(Map<String, Object> object) {
        try {
            return WRITER.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
