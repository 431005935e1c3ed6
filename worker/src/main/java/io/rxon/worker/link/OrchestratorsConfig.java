package io.rxon.worker.link;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code RXON_ORCHESTRATORS}, a JSON array as the reference's {@code ORCHESTRATORS_CONFIG}:
 * {@code [{"url": "...", "priority": 10, "weight": 1, "token": "..."}]}, with an optional
 * {@code oidc} object ({@code token_url}, {@code client_id}, {@code client_secret}) per entry.
 * Entries come back sorted by (priority, url), the order failover and waterfall ask in. Every
 * mistake is refused at start-up with the entry's index, so a typo never silently drops an
 * orchestrator.
 */
public final class OrchestratorsConfig {

    private static final String VARIABLE = "RXON_ORCHESTRATORS";
    private static final Set<String> FIELDS = Set.of("url", "priority", "weight", "token", "oidc");
    private static final Set<String> OIDC_FIELDS = Set.of("token_url", "client_id", "client_secret");
    private static final List<String> SCHEMES = List.of("http://", "https://", "ws://", "wss://", "mock:");

    private OrchestratorsConfig() {}

    /** {@code json} when it is set and not blank, else the single {@code fallbackUrl}. */
    public static List<OrchestratorEntry> resolve(Optional<String> json, String fallbackUrl) {
        return json.filter(value -> !value.isBlank()).map(OrchestratorsConfig::parse)
                .orElseGet(() -> List.of(OrchestratorEntry.of(fallbackUrl)));
    }

    /** The entries of {@code json}, sorted by (priority, url). */
    public static List<OrchestratorEntry> parse(String json) {
        JsonNode root;
        try {
            root = Json.tree(json.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(VARIABLE + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new IllegalArgumentException(VARIABLE + " must be a non-empty JSON array of orchestrators");
        }
        List<OrchestratorEntry> entries = new ArrayList<>();
        Set<String> urls = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            OrchestratorEntry entry = entry(root.get(i), VARIABLE + "[" + i + "]");
            if (!urls.add(entry.url().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(VARIABLE + "[" + i + "]: " + entry.url() + " is listed twice");
            }
            entries.add(entry);
        }
        entries.sort(Comparator.comparingInt(OrchestratorEntry::priority).thenComparing(OrchestratorEntry::url));
        return List.copyOf(entries);
    }

    private static OrchestratorEntry entry(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be an object with at least \"url\"");
        }
        unknownFields(node, FIELDS, where);
        String url = text(node, "url", where).orElseThrow(() ->
                new IllegalArgumentException(where + ".url is required"));
        String lower = url.toLowerCase(Locale.ROOT);
        if (SCHEMES.stream().noneMatch(lower::startsWith)) {
            throw new IllegalArgumentException(where + ".url must start with http://, https://, ws:// or wss://, got "
                    + url);
        }
        int priority = integer(node, "priority", where, OrchestratorEntry.DEFAULT_PRIORITY);
        int weight = integer(node, "weight", where, OrchestratorEntry.DEFAULT_WEIGHT);
        if (weight < 1) {
            throw new IllegalArgumentException(where + ".weight must be at least 1, got " + weight);
        }
        Optional<String> token = text(node, "token", where).filter(value -> !value.isBlank());
        Optional<OrchestratorEntry.Oidc> oidc = oidc(node.get("oidc"), where + ".oidc");
        if (token.isPresent() && oidc.isPresent()) {
            throw new IllegalArgumentException(where + " has both a token and an oidc client; give one");
        }
        return new OrchestratorEntry(url, priority, weight, token, oidc);
    }

    private static Optional<OrchestratorEntry.Oidc> oidc(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be an object with token_url, client_id, client_secret");
        }
        unknownFields(node, OIDC_FIELDS, where);
        String tokenUrl = required(node, "token_url", where);
        URI uri;
        try {
            uri = URI.create(tokenUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".token_url is not a URL: " + tokenUrl, e);
        }
        return Optional.of(new OrchestratorEntry.Oidc(uri, required(node, "client_id", where),
                required(node, "client_secret", where)));
    }

    private static void unknownFields(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException(where + " has an unknown field \"" + name + "\"; known: "
                        + known.stream().sorted().toList());
            }
        }
    }

    private static String required(JsonNode node, String field, String where) {
        return text(node, field, where).filter(value -> !value.isBlank()).orElseThrow(() ->
                new IllegalArgumentException(where + "." + field + " is required"));
    }

    private static Optional<String> text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(where + "." + field + " must be a string");
        }
        return Optional.of(value.asText().trim());
    }

    private static int integer(JsonNode node, String field, String where, int fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(where + "." + field + " must be an integer, got " + value);
        }
        return value.intValue();
    }
}
