package io.rxon.orchestrator.console;

import io.rxon.orchestrator.job.JobListings;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.job.JobState;
import io.rxon.orchestrator.job.JobStatus;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestQuery;

/** The jobs list: the user's jobs, newest first, filtered by status and type, a page at a time. */
@Path("/console/jobs")
public class JobsConsoleResource {

    /** The statuses offered in the filter, in lifecycle order. */
    static final List<String> STATUSES = Arrays.stream(JobStatus.values()).map(JobStatus::wire).toList();

    private final Template jobsPage;
    private final ConsoleSessions sessions;
    private final JobListings queries;
    private final int pageSize;

    public JobsConsoleResource(@Location("console/jobs.html") Template jobsPage, ConsoleSessions sessions,
            JobListings queries, OrchestratorConfig config) {
        this.jobsPage = jobsPage;
        this.sessions = sessions;
        this.queries = queries;
        this.pageSize = config.console().pageSize();
    }

    @GET
    public Uni<Response> list(@RestQuery String status, @RestQuery String type, @RestQuery String cursor,
            HttpHeaders headers) {
        Optional<ConsoleSession> session = sessions.of(headers);
        if (session.isEmpty()) {
            return Uni.createFrom().item(ConsoleResponses.toLogin());
        }
        Optional<String> wantedStatus = present(status).map(JobsConsoleResource::status);
        Optional<String> wantedType = present(type);
        return queries.jobs(session.get().clientId(), wantedStatus, wantedType, pageSize, present(cursor))
                .map(slice -> ConsoleResponses.page(jobsPage.data("session", session.get())
                        .data("jobs", slice.jobs().stream().map(JobsConsoleResource::row).toList())
                        .data("statuses", STATUSES)
                        .data("status", wantedStatus.orElse(""))
                        .data("type", wantedType.orElse(""))
                        .data("next", slice.nextCursor().orElse(null))
                        .data("terminal", String.join(" ", JobState.END_EVENTS.values()))));
    }

    /** One line of the table, formatted. */
    @TemplateData
    public record JobRow(String id, String type, String status, String attempts, String worker, String progress,
            String created, String updated) {}

    private static JobRow row(JobListings.JobSummary job) {
        return new JobRow(job.id(), job.type(), job.status(), job.attempts() + "/" + job.maxAttempts(),
                job.workerId() == null ? "" : job.workerId(),
                job.progress() == null ? "" : Math.round(job.progress() * 100) + " %",
                ConsoleFormat.time(job.createdAt()), ConsoleFormat.time(job.updatedAt()));
    }

    private static String status(String value) {
        try {
            return JobStatus.fromWire(value).wire();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }

    static Optional<String> present(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(text -> !text.isEmpty());
    }
}
