package io.rxon.orchestrator.console;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/** How every console response is shaped: HTML with strict browser protections, and redirects. */
public final class ConsoleResponses {

    /** Scripts and styles only from the console's own files: nothing inline, nothing from elsewhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self';"
            + " script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private ConsoleResponses() {}

    /** A rendered page; never cached, never framed, and its URL never sent on as a referrer. */
    public static Response page(TemplateInstance template) {
        return page(Response.Status.OK, template);
    }

    public static Response page(Response.Status status, TemplateInstance template) {
        return protect(Response.status(status).entity(template.render()).type(MediaType.TEXT_HTML_TYPE + ";charset=UTF-8"))
                .build();
    }

    static Response.ResponseBuilder protect(Response.ResponseBuilder response) {
        return response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store");
    }

    /** After a POST: the browser GETs the next page (303), so a reload never repeats the action. */
    public static Response seeOther(String path) {
        return protect(Response.seeOther(URI.create(path))).build();
    }

    /** Where a request without a valid session goes. */
    public static Response toLogin() {
        return seeOther(ConsoleSessions.PATH + "/login");
    }

    /** Whether cookies must be {@code Secure}: the request came over HTTPS, directly or through a proxy. */
    public static boolean secure(UriInfo uri, HttpHeaders headers) {
        return "https".equalsIgnoreCase(uri.getRequestUri().getScheme())
                || "https".equalsIgnoreCase(headers.getHeaderString("X-Forwarded-Proto"));
    }
}
