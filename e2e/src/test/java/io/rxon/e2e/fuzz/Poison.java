package io.rxon.e2e.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded hostile values and the mutation of JSON trees with them. Every value comes with a short
 * label (its class, e.g. {@code NUL} or {@code wrong type: float}) so that failures group by kind.
 * Huge values stay rare so that a run stays within its minute.
 */
public final class Poison {

    /** A hostile value and the class it belongs to. */
    public record Value(String label, JsonNode node) {}

    /** A mutated tree and what was done to it. */
    public record Mutation(String label, ObjectNode tree) {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Random random;

    public Poison(Random random) {
        this.random = random;
    }

    public Random random() {
        return random;
    }

    public <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    public boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** A hostile string: the values PostgreSQL, the identifier rule or the JSON codec may choke on. */
    public Value string() {
        return switch (random.nextInt(16)) {
            case 0 -> new Value("NUL", NODES.textNode("\u0000"));
            case 1 -> new Value("NUL", NODES.textNode("a\u0000b"));
            case 2 -> new Value("lone surrogate", NODES.textNode("x\ud800y"));
            case 3 -> new Value("lone surrogate", NODES.textNode("\udfff"));
            // now and then past the 4M body limit (413), or just below it
            case 4 -> new Value("huge string", NODES.textNode("h".repeat(chance(0.1)
                    ? pick(List.of(3_000_000, 5_000_000)) : 100_000)));
            case 5 -> new Value("empty string", NODES.textNode(""));
            case 6 -> new Value("path traversal", NODES.textNode("../../api"));
            case 7 -> new Value("reserved id", NODES.textNode(pick(List.of("GHOST", "ghost", "Ghost"))));
            case 8 -> new Value("control chars", NODES.textNode("\u0001\u001f\u007f\r\n\t"));
            case 9 -> new Value("unicode", NODES.textNode("\u202e\ud83d\udca5\ufeff\uffff"));
            case 10 -> new Value("injection", NODES.textNode(pick(List.of("' OR 1=1 --", "${jndi:ldap://x/a}",
                    "%00", "\\u0000", "<script>", "$(id)", "{{7*7}}"))));
            case 11 -> new Value("long id", NODES.textNode("i".repeat(129 + random.nextInt(2000))));
            case 12 -> new Value("NUL", NODES.textNode("valid-prefix\u0000" + "x".repeat(random.nextInt(40))));
            case 13 -> new Value("blank", NODES.textNode(" \u00a0\u2003"));
            case 14 -> new Value("number-like string", NODES.textNode(pick(List.of("1", "-1", "1e308", "NaN", "null"))));
            default -> new Value("emoji", NODES.textNode("\ud83d\ude00".repeat(1 + random.nextInt(50))));
        };
    }

    /** A value of the wrong type or out of range for whatever field it lands in. */
    public Value wrongType() {
        return switch (random.nextInt(16)) {
            case 0 -> new Value("wrong type: int", NODES.numberNode(123));
            case 1 -> new Value("wrong type: negative", NODES.numberNode(-1));
            case 2 -> new Value("wrong type: float", NODES.numberNode(2.5));
            case 3 -> new Value("wrong type: -1e308", NODES.numberNode(-1e308));
            case 4 -> new Value("wrong type: 1e308", NODES.numberNode(1e308));
            case 5 -> new Value("wrong type: bool", NODES.booleanNode(random.nextBoolean()));
            case 6 -> new Value("wrong type: null", NODES.nullNode());
            case 7 -> new Value("wrong type: array", NODES.arrayNode().add(1).add("a").addNull());
            case 8 -> new Value("wrong type: object", NODES.objectNode().put("k", "v"));
            case 9 -> new Value("wrong type: big int", NODES.numberNode(BigInteger.TEN.pow(30)));
            case 10 -> new Value("wrong type: int64 max+1", NODES.numberNode(BigInteger.ONE.shiftLeft(63)));
            case 11 -> new Value("wrong type: empty array", NODES.arrayNode());
            case 12 -> new Value("wrong type: empty object", NODES.objectNode());
            case 13 -> new Value("wrong type: -0.0", NODES.numberNode(-0.0));
            case 14 -> new Value("wrong type: 1e-320", NODES.numberNode(1e-320));
            default -> new Value("wrong type: string", NODES.textNode("lots"));
        };
    }

    /** Arrays or objects nested {@code depth} levels, around a NUL sometimes. */
    public Value deep() {
        int depth = pick(List.of(101, 150, 1_001, 1_500, 5_000));
        JsonNode node = chance(0.5) ? NODES.textNode("\u0000") : NODES.numberNode(1);
        boolean arrays = random.nextBoolean();
        for (int i = 0; i < depth; i++) {
            node = arrays ? NODES.arrayNode().add(node) : NODES.objectNode().set("d", node);
        }
        return new Value("deep nesting " + (depth > 1_000 ? ">1000" : ">100"), node);
    }

    public Value any() {
        int roll = random.nextInt(10);
        return roll < 5 ? string() : roll < 9 ? wrongType() : deep();
    }

    /**
     * One to three mutations of a copy of {@code base}: a field (top level or nested) set to a
     * hostile value, a hostile key added, or a field dropped. Fields named in {@code protectedFields}
     * keep their value, so that e.g. the signed timestamp still passes and content reaches storage.
     */
    public Mutation mutate(ObjectNode base, List<String> protectedFields) {
        ObjectNode tree = base.deepCopy();
        List<String> labels = new ArrayList<>();
        int count = 1 + (chance(0.3) ? random.nextInt(3) : 0);
        for (int i = 0; i < count; i++) {
            labels.add(mutateOnce(tree, protectedFields));
        }
        return new Mutation(String.join(" + ", labels), tree);
    }

    private String mutateOnce(ObjectNode tree, List<String> protectedFields) {
        List<String> path = new ArrayList<>();
        ObjectNode target = tree;
        // walk into a nested object now and then, so that poison lands in params, data, error, payload
        while (true) {
            List<String> objects = new ArrayList<>();
            target.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                boolean container = value.isObject() || value.isArray() && value.path(0).isObject();
                if (container && !(path.isEmpty() && protectedFields.contains(field.getKey()))) {
                    objects.add(field.getKey());
                }
            });
            if (objects.isEmpty() || !chance(0.45)) {
                break;
            }
            String next = pick(objects);
            JsonNode child = target.get(next);
            // into lists of objects too (devices, skills, artifacts): their first element
            path.add(child.isArray() ? next + "[0]" : next);
            target = (ObjectNode) (child.isArray() ? child.get(0) : child);
        }
        List<String> fields = new ArrayList<>();
        target.fieldNames().forEachRemaining(name -> {
            if (!(path.isEmpty() && protectedFields.contains(name))) {
                fields.add(name);
            }
        });
        int roll = random.nextInt(10);
        if (roll == 0 || fields.isEmpty()) {
            Value key = string();
            String name = key.node().textValue();
            target.put(name == null ? "k" : name, "v");
            return "key " + key.label() + " in " + where(path);
        }
        String field = pick(fields);
        if (roll == 1) {
            target.remove(field);
            return "missing " + where(path, field);
        }
        Value value = any();
        target.set(field, value.node());
        return value.label() + " at " + where(path, field);
    }

    private static String where(List<String> path, String field) {
        List<String> all = new ArrayList<>(path);
        all.add(field);
        return String.join(".", all);
    }

    private static String where(List<String> path) {
        return path.isEmpty() ? "top level" : String.join(".", path);
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }
}
