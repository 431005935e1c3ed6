package io.rxon.orchestrator.db;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * Starts the embedded PostgreSQL before Quarkus when nobody configured a database. It exists because
 * Quarkus reads its datasource URL at start-up, so the server has to run, and its URL be known, before
 * {@code Quarkus.run}: the launcher starts it, publishes the URLs and credentials as system properties
 * (which outrank {@code application.properties}) and stops it after the application, from a shutdown hook.
 * A URL given by environment variable or system property wins and nothing is started; this also makes a
 * second call in the same JVM a no-op.
 */
public final class EmbeddedDatabaseLauncher {

    public static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    public static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    public static final String USERNAME = "quarkus.datasource.username";
    public static final String PASSWORD = "quarkus.datasource.password";

    /** Sub-directory of the orchestrator's data directory that holds the PostgreSQL data. */
    public static final String POSTGRES_FOLDER = "postgres";

    private static final String DATA_DIR_PROPERTY = "rxon.orchestrator.data-dir";
    private static final String DATA_DIR_VARIABLE = "RXON_ORCHESTRATOR_DATA_DIR";
    private static final String DATA_DIR_SHORT_VARIABLE = "RXON_DATA_DIR";
    private static final String DEFAULT_DATA_DIR = "./data";

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabaseLauncher.class);

    private EmbeddedDatabaseLauncher() {
    }

    /**
     * Decides from the real environment and system properties and, when no URL is configured, starts the
     * embedded server, sets the four {@code quarkus.datasource.*} system properties, has the server restarted
     * whenever it dies ({@link EmbeddedDatabaseSupervisor}) and registers a shutdown hook that stops it once
     * Quarkus has stopped.
     *
     * @return the running server, or empty when an external database is configured
     * @throws EmbeddedDatabaseException when the server cannot start
     */
    public static Optional<EmbeddedDatabase> launchIfNeeded() {
        LaunchDecision decision = decide(System.getenv(), asMap(System.getProperties()));
        if (decision instanceof LaunchDecision.UseExternal external) {
            LOG.infof("Datasource configured by %s; the embedded PostgreSQL is not started", external.configuredBy());
            return Optional.empty();
        }
        Path dataDirectory = ((LaunchDecision.StartEmbedded) decision).dataDirectory();
        EmbeddedDatabase database = EmbeddedDatabase.start(EmbeddedDatabaseSettings.forDataDirectory(dataDirectory));
        datasourceProperties(database).forEach(System::setProperty);
        Runtime.getRuntime().addShutdownHook(new DatabaseShutdownHook(EmbeddedDatabaseSupervisor.supervise(database)));
        return Optional.of(database);
    }

    /**
     * The decision for the given environment variables and system properties: an external database when a
     * reactive or JDBC URL is set in either, else the embedded one in {@code <data dir>/postgres}, where the
     * data directory is {@code rxon.orchestrator.data-dir}, {@code RXON_ORCHESTRATOR_DATA_DIR},
     * {@code RXON_DATA_DIR} or {@code ./data}, in that order (the precedence the orchestrator's configuration
     * gives the same key).
     */
    public static LaunchDecision decide(Map<String, String> environment, Map<String, String> systemProperties) {
        for (String property : List.of(REACTIVE_URL, JDBC_URL)) {
            if (isSet(systemProperties.get(property))) {
                return new LaunchDecision.UseExternal("system property " + property);
            }
            String variable = environmentName(property);
            if (isSet(environment.get(variable))) {
                return new LaunchDecision.UseExternal("environment variable " + variable);
            }
        }
        String dataDirectory = firstSet(systemProperties.get(DATA_DIR_PROPERTY), environment.get(DATA_DIR_VARIABLE),
                environment.get(DATA_DIR_SHORT_VARIABLE), DEFAULT_DATA_DIR);
        return new LaunchDecision.StartEmbedded(Path.of(dataDirectory).resolve(POSTGRES_FOLDER));
    }

    /** The Quarkus datasource configuration that points at {@code database}. */
    public static Map<String, String> datasourceProperties(EmbeddedDatabase database) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(REACTIVE_URL, database.reactiveUrl());
        properties.put(JDBC_URL, database.jdbcUrl());
        properties.put(USERNAME, database.username());
        properties.put(PASSWORD, database.password());
        return Collections.unmodifiableMap(properties);
    }

    /** MicroProfile Config's environment-variable form of a property name. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static String firstSet(String... candidates) {
        for (String candidate : candidates) {
            if (isSet(candidate)) {
                return candidate.strip();
            }
        }
        throw new IllegalStateException("no default");
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static Map<String, String> asMap(Properties properties) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return map;
    }
}
