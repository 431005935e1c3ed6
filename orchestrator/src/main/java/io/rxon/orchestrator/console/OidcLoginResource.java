package io.rxon.orchestrator.console;

import io.quarkus.logging.Log;
import io.quarkus.oidc.OidcSession;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.rxon.orchestrator.security.ClientIdentity;
import io.rxon.orchestrator.security.OidcIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Console login through Keycloak ({@code RXON_AUTH_MODE=oidc|mixed}): Quarkus OIDC runs the
 * authorization code flow on its {@code console} tenant, a {@code web-app} tenant bound to
 * {@code /console/oidc/*} beside the default {@code service} tenant that checks API bearer tokens.
 * Once Keycloak has identified the user, the console starts its own session, as after a token
 * login, and drops the OIDC one: one kind of session for every console page.
 */
@Path("/console/oidc")
public class OidcLoginResource {

    /** Jobs of users who log in through Keycloak belong to this prefix plus their user name. */
    public static final String USER_PREFIX = "oidc-user:";

    private final SecurityIdentity identity;
    private final OidcSession oidcSession;
    private final ConsoleSessions sessions;

    public OidcLoginResource(SecurityIdentity identity, OidcSession oidcSession, ConsoleSessions sessions) {
        this.identity = identity;
        this.oidcSession = oidcSession;
        this.sessions = sessions;
    }

    @GET
    @Path("/login")
    @Authenticated
    public Uni<Response> login(UriInfo uri, HttpHeaders headers) {
        ClientIdentity client = new ClientIdentity(USER_PREFIX + identity.getPrincipal().getName(),
                identity.hasRole(OidcIdentity.ROLE_CLIENT), identity.hasRole(OidcIdentity.ROLE_ADMIN));
        if (!client.client()) {
            Log.infof("console login of %s refused: no role %s", client.clientId(), OidcIdentity.ROLE_CLIENT);
            return oidcSession.logout().map(ignored -> ConsoleResponses.protect(Response
                    .status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("Your Keycloak user lacks the role " + OidcIdentity.ROLE_CLIENT + ".")).build());
        }
        Log.infof("console login of %s through Keycloak", client.clientId());
        ConsoleSession session = sessions.start(client);
        return oidcSession.logout().map(ignored -> ConsoleResponses.protect(Response.ok(CONTINUE)
                .type(MediaType.TEXT_HTML_TYPE + ";charset=UTF-8")
                .cookie(sessions.cookie(session, ConsoleResponses.secure(uri, headers)))).build());
    }

    /**
     * This response ends a redirect chain that began on Keycloak's site, so a browser would not
     * send the SameSite=Strict session cookie on a redirect from it; a page of this origin that
     * moves on by itself starts a same-site navigation, which does.
     */
    private static final String CONTINUE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=/console/jobs">
            <title>Logged in · RXON console</title></head>
            <body><p><a href="/console/jobs" id="continue">Continue to the console</a></p></body></html>
            """;
}
