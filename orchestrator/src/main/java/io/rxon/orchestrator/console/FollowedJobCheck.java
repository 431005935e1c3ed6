package io.rxon.orchestrator.console;

import io.rxon.orchestrator.api.Ids;
import io.rxon.orchestrator.error.UnauthenticatedException;
import io.rxon.orchestrator.job.JobService;
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
 * The console's twin of the API's followed-job filter: before a job's event stream starts, the
 * session must be valid and the job the user's own, so that a refusal is still a proper 401 or
 * 404 rather than a stream that breaks off after its 200.
 */
public class FollowedJobCheck {

    /** Marks the console's event stream method. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    public @interface Checked {}

    private final ConsoleSessions sessions;
    private final JobService jobs;

    public FollowedJobCheck(ConsoleSessions sessions, JobService jobs) {
        this.sessions = sessions;
        this.jobs = jobs;
    }

    @Checked
    @ServerRequestFilter
    public Uni<Void> requireOwnJob(UriInfo uri, HttpHeaders headers) {
        String id = Ids.require(uri.getPathParameters().getFirst("id"), "job id");
        ConsoleSession session = sessions.of(headers)
                .orElseThrow(() -> new UnauthenticatedException("no console session; log in at /console/login"));
        return jobs.get(session.identity(), id).replaceWithVoid();
    }
}
