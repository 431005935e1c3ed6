package io.rxon.orchestrator.console;

import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.error.UnauthenticatedException;
import jakarta.ws.rs.core.HttpHeaders;

/** The checks every console form POST passes: a valid session, and that session's CSRF token in the form. */
final class ConsoleForms {

    private ConsoleForms() {}

    /**
     * SameSite=Strict already keeps other sites' forms from carrying the cookie; the token also
     * refuses a post from a page of this origin that did not come from the console itself.
     */
    static ConsoleSession requireSession(ConsoleSessions sessions, HttpHeaders headers, String csrf) {
        ConsoleSession session = sessions.of(headers)
                .orElseThrow(() -> new UnauthenticatedException("no console session; log in at /console/login"));
        if (!session.acceptsCsrf(csrf)) {
            throw new ForbiddenActionException("the form's CSRF token is missing or stale; reload the page");
        }
        return session;
    }
}
