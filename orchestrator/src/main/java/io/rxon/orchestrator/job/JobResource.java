package io.rxon.orchestrator.job;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
    private final JobTracing tracing;
    private final WorkflowSubmissions workflows;
    private final JobSteps steps;

    public JobResource(ClientAuthenticator authenticator, JobService jobs, JobLifecycle lifecycle,
            EventStreams streams, JobTracing tracing, WorkflowSubmissions workflows, JobSteps steps) {
        this.workflows = workflows;
        this.steps = steps;
        this.authenticator = authenticator;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.streams = streams;
        this.tracing = tracing;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Submit a job")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "JobRequest"), examples = @ExampleObject(name = "a GPU job",
                    value = "{\"type\": \"sha256\", \"params\": {\"text\": \"hello\"}, \"requirements\": "
                            + "{\"resources\": {\"devices\": [{\"type\": \"gpu\", \"model\": \"rtx 4090\", "
                            + "\"properties\": {\"vram_gb\": 16}}]}}, \"priority\": 5, \"max_attempts\": 2}")))
    @APIResponse(responseCode = "202", description = "Accepted and queued", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, example = "{\"job_id\": \"8d0c5a3e-2f1b-4c59-9d63-0f7e4b1a2c3d\"}"))
    @APIResponse(responseCode = "400", description = "Anything invalid; nothing is stored")
    @APIResponse(responseCode = "404", description = "A workflow job naming no registered workflow (docs/WORKFLOWS.md)")
    public Uni<Response> submit(byte[] body, HttpHeaders headers) {
        JsonNode node = JsonBodies.storableObject(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        Uni<String> submitted;
        if (node.has("workflow")) {
            // {"workflow", "version", "input"}: a workflow job (docs/WORKFLOWS.md).
            submitted = ClientAuthentication.client(authenticator, headers)
                    .chain(client -> workflows.submit(client, node));
        } else {
            JobRequest request = JsonBodies.decodeStrict(node, JobRequest.class);
            submitted = ClientAuthentication.client(authenticator, headers)
                    .chain(client -> tracing.submit(request, headers.getHeaderString("traceparent"),
                            headers.getHeaderString("tracestate"), traced -> jobs.submit(client, traced)));
        }
        return submitted.map(jobId -> Response.accepted(Map.of("job_id", jobId))
                .type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a job")
    @APIResponse(responseCode = "200", description = "The job; `result` and `result_metadata` only once terminal",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", description = "Unknown, or another client's job")
    public Uni<JobView> get(@RestPath String id, HttpHeaders headers) {
        Ids.require(id, "job id");
        return ClientAuthentication.client(authenticator, headers).chain(client -> jobs.view(client, id))
                .chain(view -> view.workflow() == null ? Uni.createFrom().item(view)
                        : steps.of(view.jobId()).map(view::withSteps));
    }

    @GET
    @Operation(summary = "List the client's jobs, newest first: the jobs it submitted; with include_steps=true also the"
            + " jobs of workflow steps (their parent_job_id names the workflow job)")
    @APIResponse(responseCode = "200", description = "One page; `next_cursor` fetches the next", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobPage.class)))
    @APIResponse(responseCode = "400", description = "An unknown status, a limit outside 1 to 500, or include_steps"
            + " other than true or false")
    public Uni<JobPage> list(@RestQuery String status, @RestQuery String limit, @RestQuery String cursor,
            @RestQuery("include_steps") String includeSteps, HttpHeaders headers) {
        Optional<JobStatus> wanted = Optional.ofNullable(status).filter(s -> !s.isBlank()).map(JobResource::status);
        int pageSize = pageSize(limit);
        boolean steps = flag(includeSteps, "include_steps");
        return ClientAuthentication.client(authenticator, headers)
                .chain(client -> jobs.list(client, wanted, pageSize, Optional.ofNullable(cursor), steps));
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Cancel a job")
    @APIResponse(responseCode = "200", description = "The worker running it is told at once", content = @Content(
            mediaType = MediaType.APPLICATION_JSON,
            example = "{\"status\": \"cancellation_request_accepted\", \"job_id\": \"8d0c5a3e\"}"))
    @APIResponse(responseCode = "404", description = "Unknown, or another client's job")
    @APIResponse(responseCode = "409", description = "The job already ended")
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
    @Operation(summary = "Follow a job's events (Server-Sent Events)",
            description = "The job's history, then live events; the stream ends with the job.")
    @APIResponse(responseCode = "200", description = "A stream of events", content = @Content(
            mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = JobEvent.class)))
    @APIResponse(responseCode = "404", description = "Unknown, or another client's job (before any stream starts)")
    public Multi<JobEvent> events(@RestPath String id, HttpHeaders headers) {
        return ClientAuthentication.client(authenticator, headers).chain(client -> jobs.get(client, id))
                .onItem().transformToMulti(job -> streams.follow(job.id, event -> JobState.isEndEvent(event.type())));
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

    private static boolean flag(String value, String name) {
        if (value == null || value.isBlank() || "false".equals(value.trim())) {
            return false;
        }
        if ("true".equals(value.trim())) {
            return true;
        }
        throw new InvalidRequestException(name + " must be true or false, got '" + StorableJson.printable(value) + "'");
    }

    private static JobStatus status(String value) {
        try {
            return JobStatus.fromWire(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }
}
