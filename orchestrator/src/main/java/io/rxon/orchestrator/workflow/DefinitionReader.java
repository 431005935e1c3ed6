package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rxon.common.contract.SchemaValidator;
import io.rxon.orchestrator.error.InvalidDefinitionException;
import io.serverlessworkflow.api.WorkflowFormat;
import io.serverlessworkflow.api.WorkflowReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a definition (YAML or JSON) and checks it: first against the DSL itself, with the
 * reference reader of the CNCF Serverless Workflow API (unknown fields, wrong types, a task no
 * kind of the DSL matches), then {@link DefinitionChecks} and the input schema. Everything wrong
 * is reported at once, as {@link InvalidDefinitionException#problems()}.
 */
final class DefinitionReader {

    /** The parts of {@code use} the engine reads: named retry policies and timeouts. */
    private static final Set<String> SUPPORTED_USE = Set.of("retries", "timeouts");

    /** Names and versions appear in URLs: letters, digits, '.', '_' and '-'. */
    static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private DefinitionReader() {}

    static WorkflowDefinition read(String text) {
        List<String> problems = new ArrayList<>();
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (Exception e) {
            throw refused(List.of("the document is neither YAML nor JSON: " + firstLine(e.getMessage())));
        }
        if (tree == null || !tree.isObject()) {
            throw refused(List.of("the document must be an object with 'document' and 'do'"));
        }
        try {
            WorkflowReader.readWorkflowFromString(text, text.stripLeading().startsWith("{") ? WorkflowFormat.JSON
                    : WorkflowFormat.YAML);
        } catch (Exception | LinkageError e) {
            problems.add("schema: " + firstLine(e.getMessage()));
        }
        String name = tree.path("document").path("name").asText("");
        String version = tree.path("document").path("version").asText("");
        if (!NAME.matcher(name).matches()) {
            problems.add("document/name: required, letters, digits, '.', '_' and '-' only");
        }
        if (!NAME.matcher(version).matches()) {
            problems.add("document/version: required, letters, digits, '.', '_' and '-' only");
        }
        DefinitionChecks checks = new DefinitionChecks(tree);
        checks.checkList(tree.path("do"), "do");
        problems.addAll(checks.problems());
        SchemaValidator input = inputSchema(tree, problems);
        tree.path("use").fieldNames().forEachRemaining(field -> {
            if (!SUPPORTED_USE.contains(field)) {
                problems.add("use/" + field + ": not supported yet (only use.retries and use.timeouts)");
            }
        });
        if (tree.path("timeout").has("after")) {
            try {
                Durations.millis(tree.path("timeout").path("after"));
            } catch (IllegalArgumentException e) {
                problems.add("timeout/after: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw refused(problems);
        }
        return new WorkflowDefinition(name, version, text, tree, input, checks.skills());
    }

    @SuppressWarnings("unchecked")
    private static SchemaValidator inputSchema(JsonNode tree, List<String> problems) {
        JsonNode schema = tree.path("input").path("schema").path("document");
        if (schema.isMissingNode()) {
            return SchemaValidator.ACCEPT_ALL;
        }
        SchemaValidator validator = schema.isObject()
                ? SchemaValidator.compile(Expressions.MAPPER.convertValue(schema, Map.class)) : SchemaValidator.ACCEPT_ALL;
        if (validator.acceptsEverything() && !(schema.isObject() && schema.isEmpty())) {
            // compile() accepts everything when the schema does not compile: here that is the author's mistake.
            problems.add("input/schema/document: not a valid JSON Schema");
        }
        return validator;
    }

    private static InvalidDefinitionException refused(List<String> problems) {
        return new InvalidDefinitionException("the workflow definition is invalid: " + String.join("; ", problems),
                problems);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
