package io.rxon.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * The DSL's runtime expressions: a string {@code ${ ... }} is a jq program run on the current data
 * with the DSL's variables ({@code $context}, {@code $workflow}, {@code $input} and those a task
 * names, like a {@code for} item). Compiled programs are cached; evaluation is pure, which the
 * replay of an instance relies on.
 */
final class Expressions {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Scope ROOT = rootScope();
    private static final Map<String, JsonQuery> COMPILED = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 10_000;

    private Expressions() {}

    /** Thrown when a program does not compile or fails on its data. */
    static final class ExpressionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ExpressionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static Scope rootScope() {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, scope);
        return scope;
    }

    /** Whether {@code value} is a runtime expression ({@code ${ ... }}). */
    static boolean isExpression(JsonNode value) {
        return value != null && value.isTextual() && isExpression(value.asText());
    }

    static boolean isExpression(String text) {
        String trimmed = text.trim();
        return trimmed.startsWith("${") && trimmed.endsWith("}");
    }

    /** Compiles the program of an expression; the problem, if any, for a definition check. */
    static String problem(String expression) {
        try {
            compile(expression);
            return null;
        } catch (ExpressionException e) {
            return e.getMessage();
        }
    }

    /** Evaluates an expression (or returns a plain value as it is) to its first output; null gives JSON null. */
    static JsonNode evaluate(JsonNode value, JsonNode data, Map<String, JsonNode> variables) {
        if (!isExpression(value)) {
            return value == null ? NullNode.getInstance() : value;
        }
        JsonQuery query = compile(value.asText());
        Scope scope = Scope.newChildScope(ROOT);
        variables.forEach(scope::setValue);
        List<JsonNode> out = new ArrayList<>(1);
        try {
            query.apply(scope, data == null ? NullNode.getInstance() : data, out::add);
        } catch (JsonQueryException e) {
            throw new ExpressionException("expression " + value.asText() + " failed: " + e.getMessage(), e);
        }
        return out.isEmpty() ? NullNode.getInstance() : out.get(0);
    }

    /** Evaluates every expression inside {@code value} (objects and arrays are walked), leaving plain values. */
    static JsonNode evaluateDeep(JsonNode value, JsonNode data, Map<String, JsonNode> variables) {
        if (value == null) {
            return NullNode.getInstance();
        }
        if (value.isObject()) {
            ObjectNode copy = MAPPER.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), evaluateDeep(field.getValue(), data, variables));
            }
            return copy;
        }
        if (value.isArray()) {
            ArrayNode copy = MAPPER.createArrayNode();
            value.forEach(item -> copy.add(evaluateDeep(item, data, variables)));
            return copy;
        }
        return evaluate(value, data, variables);
    }

    /** jq truthiness: everything but false and null. */
    static boolean truthy(JsonNode value) {
        return value != null && !value.isNull() && !(value.isBoolean() && !value.asBoolean());
    }

    /** Every expression inside {@code value}, for the definition checks. */
    static void collect(JsonNode value, List<String> into) {
        if (value == null) {
            return;
        }
        if (isExpression(value)) {
            into.add(value.asText());
        } else if (value.isContainerNode()) {
            value.forEach(item -> collect(item, into));
        }
    }

    private static JsonQuery compile(String expression) {
        JsonQuery cached = COMPILED.get(expression);
        if (cached != null) {
            return cached;
        }
        String trimmed = expression.trim();
        String program = trimmed.substring(2, trimmed.length() - 1).trim();
        try {
            JsonQuery query = JsonQuery.compile(program, Versions.JQ_1_6);
            if (COMPILED.size() < CACHE_LIMIT) {
                COMPILED.put(expression, query);
            }
            return query;
        } catch (JsonQueryException | RuntimeException e) {
            throw new ExpressionException("expression " + expression + " does not compile: " + e.getMessage(), e);
        }
    }
}
