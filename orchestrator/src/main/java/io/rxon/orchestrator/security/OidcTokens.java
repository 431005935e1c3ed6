package io.rxon.orchestrator.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.AuthenticationFailedException;
import io.rxon.orchestrator.error.UnauthenticatedException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies Keycloak access tokens with Quarkus OIDC (signature against the realm's keys, issuer,
 * audience, expiry) and reduces them to an {@link OidcIdentity}. Any failure is a 401: the caller
 * should fetch a fresh token.
 */
@ApplicationScoped
public class OidcTokens {

    private final Instance<TenantIdentityProvider> provider;

    public OidcTokens(Instance<TenantIdentityProvider> provider) {
        this.provider = provider;
    }

    /** Whether a token has the shape of a JWT (three base64url parts); static tokens never do. */
    public static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    public Uni<OidcIdentity> verify(String token) {
        return provider.get().authenticate(new AccessTokenCredential(token))
                .onFailure(AuthenticationFailedException.class).transform(error ->
                        new UnauthenticatedException("Invalid or expired access token"))
                .map(identity -> {
                    JsonWebToken jwt = (JsonWebToken) identity.getPrincipal();
                    String azp = jwt.getClaim("azp");
                    return new OidcIdentity(azp == null ? jwt.getName() : azp, jwt.getName(), identity.getRoles(),
                            jwt.getExpirationTime());
                });
    }
}
