package io.rxon.orchestrator.console;

import io.quarkus.logging.Log;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.error.UnauthenticatedException;
import io.rxon.orchestrator.security.ClientAuthenticator;
import io.rxon.orchestrator.security.ClientIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Console login and logout. A user proves an API identity by posting a client token (or a Keycloak
 * access token) in a form body, never in a URL; the answer is a signed session cookie. The login
 * form carries its own CSRF token, paired with a short-lived cookie, so no other site can log a
 * browser into someone else's session.
 */
@Path("/console")
public class LoginResource {

    private final Template login;
    private final ConsoleSessions sessions;
    private final ClientAuthenticator authenticator;
    private final boolean keycloak;

    public LoginResource(@Location("console/login.html") Template login, ConsoleSessions sessions,
            ClientAuthenticator authenticator, OrchestratorConfig config) {
        this.login = login;
        this.sessions = sessions;
        this.authenticator = authenticator;
        this.keycloak = config.auth().mode().acceptsOidc();
    }

    @GET
    public Response home() {
        return ConsoleResponses.seeOther("/console/jobs");
    }

    @GET
    @Path("/login")
    public Response form(HttpHeaders headers, UriInfo uri) {
        if (sessions.of(headers).isPresent()) {
            return ConsoleResponses.seeOther("/console/jobs");
        }
        return loginPage(Response.Status.OK, null, ConsoleResponses.secure(uri, headers));
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> login(@RestForm String token, @RestForm String csrf, HttpHeaders headers, UriInfo uri) {
        boolean secure = ConsoleResponses.secure(uri, headers);
        Cookie expected = headers.getCookies().get(ConsoleSessions.LOGIN_COOKIE);
        if (expected == null || csrf == null || !expected.getValue().equals(csrf)) {
            return Uni.createFrom().item(loginPage(Response.Status.FORBIDDEN,
                    "The login form expired; please try again.", secure));
        }
        if (token == null || token.isBlank()) {
            return Uni.createFrom().item(loginPage(Response.Status.UNAUTHORIZED, "Enter your client token.", secure));
        }
        String proof = token.trim();
        return authenticator.authenticate(null, proof).map(ClientIdentity::requireClient)
                .map(identity -> loggedIn(identity, proof, secure))
                .onFailure(failure -> failure instanceof UnauthenticatedException
                        || failure instanceof ForbiddenActionException)
                .recoverWithItem(failure -> {
                    Log.infof("console login refused: %s", failure.getMessage());
                    return loginPage(Response.Status.UNAUTHORIZED, "That token was not accepted.", secure);
                });
    }

    @POST
    @Path("/logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@RestForm String csrf, HttpHeaders headers, UriInfo uri) {
        boolean allowed = sessions.of(headers).map(session -> session.acceptsCsrf(csrf)).orElse(true);
        if (!allowed) {
            return ConsoleResponses.seeOther("/console/jobs");
        }
        return ConsoleResponses.protect(Response.seeOther(URI.create("/console/login"))
                .cookie(sessions.expired(ConsoleResponses.secure(uri, headers)))).build();
    }

    private Response loggedIn(ClientIdentity identity, String token, boolean secure) {
        Log.infof("console login of %s", identity.clientId());
        ConsoleSession session = sessions.startWithToken(identity, token);
        return ConsoleResponses.protect(Response.seeOther(URI.create("/console/jobs"))
                .cookie(sessions.cookie(session, secure), sessions.loginCookie("", secure))).build();
    }

    private Response loginPage(Response.Status status, String error, boolean secure) {
        String csrf = ConsoleSessions.randomToken();
        Response page = ConsoleResponses.page(status, login.data("csrf", csrf).data("error", error)
                .data("keycloak", keycloak));
        return Response.fromResponse(page).cookie(sessions.loginCookie(csrf, secure)).build();
    }
}
