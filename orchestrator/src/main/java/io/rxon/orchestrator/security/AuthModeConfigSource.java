package io.rxon.orchestrator.security;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Lets {@code RXON_AUTH_MODE=oidc|mixed} alone switch Quarkus' OIDC tenant on, so operators set
 * one mode and the Keycloak URL instead of two flags that must agree. Its ordinal sits above
 * {@code application.properties} and below environment variables and system properties.
 */
public class AuthModeConfigSource implements ConfigSource {

    static final String TENANT_ENABLED = "quarkus.oidc.tenant-enabled";

    @Override
    public Set<String> getPropertyNames() {
        return oidcRequested() ? Set.of(TENANT_ENABLED) : Set.of();
    }

    @Override
    public String getValue(String propertyName) {
        return TENANT_ENABLED.equals(propertyName) && oidcRequested() ? "true" : null;
    }

    @Override
    public Map<String, String> getProperties() {
        return oidcRequested() ? Map.of(TENANT_ENABLED, "true") : Map.of();
    }

    @Override
    public int getOrdinal() {
        return 275;
    }

    @Override
    public String getName() {
        return "rxon-auth-mode";
    }

    private static boolean oidcRequested() {
        String mode = System.getProperty("rxon.orchestrator.auth.mode", System.getenv("RXON_AUTH_MODE"));
        return mode != null && (mode.equalsIgnoreCase("oidc") || mode.equalsIgnoreCase("mixed"));
    }
}
