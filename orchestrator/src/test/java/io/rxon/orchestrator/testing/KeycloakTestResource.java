package io.rxon.orchestrator.testing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.rxon.testsupport.KeycloakServer;
import java.util.Map;

/**
 * One real Keycloak (the project's realm imported) for every {@code @QuarkusTest} of the module,
 * started once, in parallel with the database. The orchestrator runs in {@code mixed} mode, so
 * static tokens and Keycloak tokens both work in every test.
 */
@QuarkusTestResource(value = KeycloakTestResource.class, restrictToAnnotatedClass = false, parallel = true)
public class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {

    private static KeycloakServer keycloak;

    @Override
    public Map<String, String> start() {
        keycloak = KeycloakServer.start();
        return Map.of(
                "quarkus.oidc.tenant-enabled", "true",
                "quarkus.oidc.auth-server-url", keycloak.realmUrl(),
                "rxon.orchestrator.auth.mode", "mixed");
    }

    @Override
    public void stop() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    /** The running Keycloak, for tests that fetch tokens. */
    public static KeycloakServer keycloak() {
        return keycloak;
    }
}
