package io.rxon.orchestrator.console;

import io.rxon.orchestrator.job.JobListings;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.rxon.orchestrator.api.Ids;
import io.rxon.orchestrator.transfer.BlobService;
import io.rxon.orchestrator.error.ConflictException;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.error.UnauthenticatedException;
import io.rxon.orchestrator.events.EventStreams;
import io.rxon.orchestrator.events.JobEvent;
import io.rxon.orchestrator.job.JobEntity;
import io.rxon.orchestrator.job.JobLifecycle;
import io.rxon.orchestrator.job.JobState;
import io.rxon.orchestrator.job.JobService;
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
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * One job: its params, result, error, attempts and blob links, its live event timeline (the same
 * stream as {@code GET /api/v1/jobs/{id}/events}, authenticated by the session cookie, which an
 * {@code EventSource} sends by itself), and cancellation.
 */
@Path("/console/jobs/{id}")
public class JobConsoleResource {

    private final Template jobPage;
    private final ConsoleSessions sessions;
    private final JobService jobs;
    private final JobListings queries;
    private final JobLifecycle lifecycle;
    private final EventStreams streams;
    private final BlobService blobs;

    public JobConsoleResource(@Location("console/job.html") Template jobPage, ConsoleSessions sessions,
            JobService jobs, JobListings queries, JobLifecycle lifecycle, EventStreams streams, BlobService blobs) {
        this.jobPage = jobPage;
        this.sessions = sessions;
        this.jobs = jobs;
        this.queries = queries;
        this.lifecycle = lifecycle;
        this.streams = streams;
        this.blobs = blobs;
    }

    /** A job as its page shows it. */
    @TemplateData
    public record JobDetail(String id, String type, String status, boolean terminal, String attempts, String worker,
            String progress, String created, String updated, String finished, String params, String result,
            String error, List<BlobLink> blobs) {}

    @TemplateData
    public record BlobLink(String uri, String href) {}

    @TemplateData
    public record AttemptRow(int attempt, String taskId, String status, String worker, String created,
            String dispatched, String finished, String error) {}

    @GET
    public Uni<Response> page(@RestPath String id, HttpHeaders headers) {
        Ids.require(id, "job id");
        Optional<ConsoleSession> session = sessions.of(headers);
        if (session.isEmpty()) {
            return Uni.createFrom().item(ConsoleResponses.toLogin());
        }
        return jobs.get(session.get().identity(), id).chain(job -> queries.attempts(session.get().clientId(), id)
                .map(attempts -> ConsoleResponses.page(jobPage.data("session", session.get())
                        .data("job", detail(job))
                        .data("attempts", attempts.stream().map(JobConsoleResource::attemptRow).toList())
                        .data("terminalTypes", String.join(" ", JobState.END_EVENTS.values())))));
    }

    @POST
    @Path("/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> cancel(@RestPath String id, @RestForm String csrf, HttpHeaders headers) {
        Ids.require(id, "job id");
        ConsoleSession session = ConsoleForms.requireSession(sessions, headers, csrf);
        return lifecycle.cancel(session.identity(), id)
                .map(cancelled -> ConsoleResponses.seeOther(pagePath(id)))
                // A job that ended meanwhile: its page shows how.
                .onFailure(ConflictException.class).recoverWithItem(() -> ConsoleResponses.seeOther(pagePath(id)));
    }

    /** The job's events as SSE; a foreign or unknown job is refused before the stream starts. */
    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @FollowedJobCheck.Checked
    public Multi<JobEvent> events(@RestPath String id, HttpHeaders headers) {
        Ids.require(id, "job id");
        ConsoleSession session = sessions.of(headers)
                .orElseThrow(() -> new UnauthenticatedException("no console session; log in at /console/login"));
        return jobs.get(session.identity(), id).onItem()
                .transformToMulti(job -> streams.follow(job.id, event -> JobState.isEndEvent(event.type())));
    }

    /** Sends the browser to a presigned download URL of one of the job's blobs. */
    @GET
    @Path("/blob")
    public Uni<Response> blob(@RestPath String id, @RestQuery String uri, HttpHeaders headers) {
        Ids.require(id, "job id");
        Optional<ConsoleSession> session = sessions.of(headers);
        if (session.isEmpty()) {
            return Uni.createFrom().item(ConsoleResponses.toLogin());
        }
        if (uri == null || uri.isBlank()) {
            throw new ForbiddenActionException("query parameter 'uri' names the blob");
        }
        return blobs.downloadUrl(session.get().identity(), uri)
                .map(ticket -> ConsoleResponses.protect(Response.seeOther(URI.create(ticket.downloadUrl()))).build());
    }

    static String pagePath(String jobId) {
        return "/console/jobs/" + jobId;
    }

    private static JobDetail detail(JobEntity job) {
        List<BlobLink> links = ConsoleFormat.blobUris(job.params, job.status.isTerminal() ? job.result : null).stream()
                .map(uri -> new BlobLink(uri, pagePath(job.id) + "/blob?uri=" + URLEncoder.encode(uri,
                        StandardCharsets.UTF_8)))
                .toList();
        return new JobDetail(job.id, job.type, job.status.wire(), job.status.isTerminal(),
                job.attempts + "/" + job.maxAttempts, job.assignedWorkerId == null ? "" : job.assignedWorkerId,
                job.progress == null ? "" : Math.round(job.progress * 100) + " %"
                        + (job.progressMessage == null ? "" : " " + job.progressMessage),
                ConsoleFormat.time(job.createdAt), ConsoleFormat.time(job.updatedAt), ConsoleFormat.time(job.finishedAt),
                Optional.ofNullable(ConsoleFormat.json(job.params)).orElse("{}"), job.status.isTerminal() ? ConsoleFormat.json(job.result) : null,
                ConsoleFormat.json(job.error), links);
    }

    private static AttemptRow attemptRow(JobListings.Attempt attempt) {
        return new AttemptRow(attempt.attempt(), attempt.taskId(), attempt.status(),
                attempt.workerId() == null ? "" : attempt.workerId(), ConsoleFormat.time(attempt.createdAt()),
                ConsoleFormat.time(attempt.dispatchedAt()), ConsoleFormat.time(attempt.finishedAt()),
                attempt.error() == null ? "" : String.valueOf(attempt.error().getOrDefault("message", attempt.error())));
    }
}
