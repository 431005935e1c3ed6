package io.rxon.orchestrator.job;

import io.rxon.orchestrator.api.Ids;
import io.rxon.orchestrator.api.JsonBodies;
import io.rxon.orchestrator.db.StorableJson;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.events.EventStreams;
import io.rxon.orchestrator.events.JobEvent;
import io.rxon.orchestrator.security.ClientAuthentication;
import io.rxon.orchestrator.security.ClientAuthenticator;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The client API for jobs: submit, read, list, cancel, and follow a job's events live. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private final ClientAuthenticator authenticator;
    private final JobService jobs;
    private final JobLifecycle lifecycle;
    private final EventStreams streams;

    public JobResource(ClientAuthenticator authenticator, JobService jobs, JobLifecycle lifecycle,
            EventStreams streams) {
        this.authenticator = authenticator;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.streams = streams;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> submit(byte[] body, HttpHeaders headers) {
        JobRequest request = parse(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        return ClientAuthentication.client(authenticator, headers).chain(client -> jobs.submit(client, request))
                .map(jobId -> Response.accepted(Map.of("job_id", jobId))
                        .type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Path("/{id}")
    public Uni<JobView> get(@RestPath String id, HttpHeaders headers) {
        Ids.require(id, "job id");
        return ClientAuthentication.client(authenticator, headers).chain(client -> jobs.get(client, id))
                .map(JobView::of);
    }

    @GET
    public Uni<JobPage> list(@RestQuery String status, @RestQuery String limit, @RestQuery String cursor,
            HttpHeaders headers) {
        Optional<JobStatus> wanted = Optional.ofNullable(status).filter(s -> !s.isBlank()).map(JobResource::status);
        int pageSize = pageSize(limit);
        return ClientAuthentication.client(authenticator, headers)
                .chain(client -> jobs.list(client, wanted, pageSize, Optional.ofNullable(cursor)));
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    public Uni<Map<String, Object>> cancel(@RestPath String id, HttpHeaders headers) {
        Ids.require(id, "job id");
        return ClientAuthentication.client(authenticator, headers).chain(client -> lifecycle.cancel(client, id))
                .map(jobId -> Map.of("status", "cancellation_request_accepted", "job_id", jobId));
    }

    /** Unknown and foreign jobs are refused with 404 before the stream starts, by {@link FollowedJobFilter}. */
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @FollowedJobFilter.Checked
    public Multi<JobEvent> events(@RestPath String id, HttpHeaders headers) {
        return ClientAuthentication.client(authenticator, headers).chain(client -> jobs.get(client, id))
                .onItem().transformToMulti(job -> streams.follow(job.id, event -> JobState.isEndEvent(event.type())));
    }

    private static JobRequest parse(byte[] body, String contentType) {
        return JsonBodies.decodeStrict(JsonBodies.storableObject(body, contentType), JobRequest.class);
    }

    /** {@code limit} as a whole number; absent means 50 (the range is the service's to check). */
    private static int pageSize(String limit) {
        if (limit == null || limit.isBlank()) {
            return 50;
        }
        try {
            return Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("limit must be a whole number, got '"
                    + StorableJson.printable(limit) + "'", e);
        }
    }

    private static JobStatus status(String value) {
        try {
            return JobStatus.fromWire(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }
}
