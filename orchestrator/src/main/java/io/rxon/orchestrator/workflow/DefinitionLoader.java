package io.rxon.orchestrator.workflow;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.rxon.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Registers the definitions of {@code RXON_WORKFLOWS_DIR} at start (a ConfigMap in the chart). A
 * file already registered with the same document is a no-op; an invalid one, or one that differs
 * from a registered version, is logged and skipped: versions are immutable.
 */
@ApplicationScoped
class DefinitionLoader {

    private final OrchestratorConfig config;
    private final WorkflowRegistry registry;

    DefinitionLoader(OrchestratorConfig config, WorkflowRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        config.workflows().dir().ifPresent(this::load);
    }

    void load(Path dir) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(file -> file.getFileName().toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
        } catch (IOException e) {
            Log.warnf("RXON_WORKFLOWS_DIR %s cannot be read: %s", dir, e.getMessage());
            return;
        }
        for (Path file : files) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                WorkflowRegistry.Registered registered = VertxContextSupport.subscribeAndAwait(() -> registry.register(text));
                Log.infof("workflow %s version %s loaded from %s%s", registered.definition().name(),
                        registered.definition().version(), file, registered.warnings().isEmpty() ? ""
                                : " (" + String.join("; ", registered.warnings()) + ")");
            } catch (Throwable e) {
                Log.warnf("workflow file %s skipped: %s", file, e.getMessage());
            }
        }
    }
}
