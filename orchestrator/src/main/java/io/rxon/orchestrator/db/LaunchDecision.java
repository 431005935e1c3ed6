package io.rxon.orchestrator.db;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Whether the orchestrator starts its embedded PostgreSQL or uses a configured one. It exists as a value so
 * that the decision, which depends only on environment variables and system properties, can be tested
 * without touching the real environment.
 */
public sealed interface LaunchDecision {

    /** No datasource URL is configured: start the embedded server on this data directory. */
    record StartEmbedded(Path dataDirectory) implements LaunchDecision {

        public StartEmbedded {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
        }
    }

    /**
     * A datasource URL is configured.
     *
     * @param configuredBy the environment variable or system property that configures it
     */
    record UseExternal(String configuredBy) implements LaunchDecision {

        public UseExternal {
            Objects.requireNonNull(configuredBy, "configuredBy");
        }
    }
}
