package io.rxon.common.contract;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One compiled JSON Schema of a skill contract (its {@code input_schema}, {@code output_schema} or
 * an event schema), checked by {@code com.networknt:json-schema-validator}: every keyword, {@code $ref}
 * inside the schema, and {@code format} as an assertion. The draft is the one {@code $schema} names;
 * without it 2020-12, as the reference's validator assumes, except that a schema using draft 4's
 * boolean {@code exclusiveMinimum}/{@code exclusiveMaximum} (valid in no later draft) is read as draft 4.
 *
 * <p>Compile once, validate many times: compiling is the expensive part. A schema that does not
 * compile (unknown draft, a {@code $ref} that does not resolve, a broken {@code pattern}) logs a
 * warning and checks nothing, as the reference's "no validator". References are resolved only inside
 * the schema and against the drafts' meta-schemas: nothing is ever fetched over the network. Thread-safe.
 */
public final class SchemaValidator {

    /** Reports stop after this many violations, so a huge bad document cannot flood a response. */
    public static final int MAX_VIOLATIONS = 20;

    /** The validator of an absent, empty or broken schema. */
    public static final SchemaValidator ACCEPT_ALL = new SchemaValidator(null);

    private static final System.Logger LOG = System.getLogger(SchemaValidator.class.getName());

    private static final JsonMapper TREES = JsonMapper.builder().build();

    private static final SchemaRegistryConfig CONFIG = SchemaRegistryConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_PATH)
            .locale(Locale.ROOT)
            .build();

    private static final SchemaRegistry DEFAULT_2020_12 = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, builder -> builder.schemaRegistryConfig(CONFIG));

    private static final SchemaRegistry DEFAULT_DRAFT_4 = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_4, builder -> builder.schemaRegistryConfig(CONFIG));

    private final Schema schema;

    private SchemaValidator(Schema schema) {
        this.schema = schema;
    }

    /**
     * @param schema a JSON Schema as Jackson decodes it (maps, lists, strings, numbers, booleans);
     *     null or empty accepts everything
     */
    public static SchemaValidator compile(Map<String, Object> schema) {
        if (schema == null || schema.isEmpty()) {
            return ACCEPT_ALL;
        }
        try {
            JsonNode tree = TREES.valueToTree(schema);
            SchemaRegistry registry = tree.has("$schema") || !usesDraft4Bounds(tree) ? DEFAULT_2020_12 : DEFAULT_DRAFT_4;
            Schema compiled = registry.getSchema(tree);
            // Resolves every $ref and compiles every pattern now, so a broken schema fails here and not per value.
            compiled.initializeValidators();
            return new SchemaValidator(compiled);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a JSON Schema could not be compiled and checks nothing: {0}", e.getMessage());
            return ACCEPT_ALL;
        }
    }

    /** Whether this validator checks anything at all. */
    public boolean acceptsEverything() {
        return schema == null;
    }

    /**
     * @param instance the value to check, as Jackson decodes JSON (or any Java value Jackson can map)
     * @return one line per violation (at most {@link #MAX_VIOLATIONS}), each starting with the JSON path
     *     of the offending value ({@code $}, {@code $.name}, {@code $.items[2]}); empty when valid
     */
    public List<String> validate(Object instance) {
        if (schema == null) {
            return List.of();
        }
        try {
            List<Error> errors = schema.validate(TREES.valueToTree(instance));
            return errors.stream().limit(MAX_VIOLATIONS).map(SchemaValidator::describe).toList();
        } catch (RuntimeException e) {
            // A defect of the schema the compile step could not see: the schema is at fault, not the value.
            LOG.log(Level.WARNING, "a JSON Schema failed while checking a value and is ignored: {0}", e.getMessage());
            return List.of();
        }
    }

    public boolean isValid(Object instance) {
        return validate(instance).isEmpty();
    }

    private static String describe(Error error) {
        return error.getInstanceLocation() + ": " + error.getMessage();
    }

    /** Draft 4 wrote exclusive bounds as booleans next to minimum/maximum; later drafts use numbers. */
    private static boolean usesDraft4Bounds(JsonNode node) {
        if (node.isObject() && (node.path("exclusiveMinimum").isBoolean() || node.path("exclusiveMaximum").isBoolean())) {
            return true;
        }
        for (JsonNode child : node) {
            if ((child.isObject() || child.isArray()) && usesDraft4Bounds(child)) {
                return true;
            }
        }
        return false;
    }
}
