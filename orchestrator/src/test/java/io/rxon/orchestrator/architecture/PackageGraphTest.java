package io.rxon.orchestrator.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator's package graph, as docs/ARCHITECTURE.md draws it: no cycles, and every arrow
 * pointing down the layers (edges on top, then dispatch, then the job lifecycle, then the fleet,
 * events and infrastructure).
 */
class PackageGraphTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rxon.orchestrator");
    }

    @Test
    void shouldHaveNoCycleBetweenPackages() {
        slices().matching("io.rxon.orchestrator.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void shouldPointEveryDependencyDownTheLayers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("edges").definedBy("..orchestrator.protocol..", "..orchestrator.transfer..",
                        "..orchestrator.console..", "..orchestrator.openapi..", "..orchestrator.health..",
                        "..orchestrator.uplink..")
                .layer("workflow").definedBy("..orchestrator.workflow..")
                .layer("dispatch").definedBy("..orchestrator.dispatch..")
                .layer("job").definedBy("..orchestrator.job..")
                .layer("contract").definedBy("..orchestrator.contract..")
                .layer("worker").definedBy("..orchestrator.worker..")
                .layer("events").definedBy("..orchestrator.events..", "..orchestrator.webhook..",
                        "..orchestrator.blob..", "..orchestrator.tracing..", "..orchestrator.kafka..")
                .layer("infrastructure").definedBy("..orchestrator.api..", "..orchestrator.cluster..", "..orchestrator.db..",
                        "..orchestrator.security..", "..orchestrator.error..", "..orchestrator.config..",
                        "..orchestrator.metrics..")
                .whereLayer("edges").mayNotBeAccessedByAnyLayer()
                .whereLayer("workflow").mayOnlyBeAccessedByLayers("edges")
                .whereLayer("dispatch").mayOnlyBeAccessedByLayers("edges")
                .whereLayer("job").mayOnlyBeAccessedByLayers("edges", "workflow", "dispatch")
                .whereLayer("contract").mayOnlyBeAccessedByLayers("edges", "workflow", "dispatch", "job")
                .whereLayer("worker").mayOnlyBeAccessedByLayers("edges", "workflow", "dispatch", "job", "contract")
                .whereLayer("events").mayOnlyBeAccessedByLayers("edges", "workflow", "dispatch", "job", "contract",
                        "worker")
                .check(classes);
    }
}
