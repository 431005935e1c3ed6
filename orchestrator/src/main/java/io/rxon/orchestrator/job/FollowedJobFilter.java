package io.rxon.orchestrator.job;

import io.rxon.orchestrator.api.Ids;
import io.rxon.orchestrator.security.ClientAuthentication;
import io.rxon.orchestrator.security.ClientAuthenticator;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks, before an event stream starts, that the job exists and belongs to the caller. An SSE
 * response commits its 200 as soon as the stream is subscribed, so a job looked up inside the
 * stream can only abort it; here the failure still becomes a proper 401 or 404 problem response.
 */
public class FollowedJobFilter {

    /** Marks the resource methods whose {@code id} path parameter must name one of the caller's jobs. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    public @interface Checked {}

    private final ClientAuthenticator authenticator;
    private final JobService jobs;

    public FollowedJobFilter(ClientAuthenticator authenticator, JobService jobs) {
        this.authenticator = authenticator;
        this.jobs = jobs;
    }

    @Checked
    @ServerRequestFilter
    public Uni<Void> requireOwnJob(UriInfo uri, HttpHeaders headers) {
        String id = Ids.require(uri.getPathParameters().getFirst("id"), "job id");
        return ClientAuthentication.client(authenticator, headers).chain(client -> jobs.get(client, id)).replaceWithVoid();
    }
}
