package io.rxon.orchestrator.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.rxon.common.protocol.WireMessage;
import io.rxon.orchestrator.worker.WorkerService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The workers page: skills, resources, devices, live telemetry and current tasks. Like
 * {@code GET /api/v1/workers} it is for administrators; the page refreshes its live cells from
 * {@code /console/workers/live} every two seconds.
 */
@Path("/console/workers")
public class WorkersConsoleResource {

    /** The cells that change with heartbeats. */
    @WireMessage
    public record LiveWorker(String workerId, String status, String telemetry, String tasks, String seen) {}

    private final Template workersPage;
    private final ConsoleSessions sessions;
    private final WorkerService workers;

    public WorkersConsoleResource(@Location("console/workers.html") Template workersPage, ConsoleSessions sessions,
            WorkerService workers) {
        this.workersPage = workersPage;
        this.sessions = sessions;
        this.workers = workers;
    }

    @GET
    public Uni<Response> page(HttpHeaders headers) {
        Optional<ConsoleSession> session = sessions.of(headers);
        if (session.isEmpty()) {
            return Uni.createFrom().item(ConsoleResponses.toLogin());
        }
        if (!session.get().admin()) {
            return Uni.createFrom().item(ConsoleResponses.page(Response.Status.FORBIDDEN,
                    workersPage.data("session", session.get()).data("allowed", false).data("workers", List.of())));
        }
        return rows().map(rows -> ConsoleResponses.page(workersPage.data("session", session.get())
                .data("allowed", true).data("workers", rows)));
    }

    @GET
    @Path("/live")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> live(HttpHeaders headers) {
        Optional<ConsoleSession> session = sessions.of(headers).filter(ConsoleSession::admin);
        if (session.isEmpty()) {
            return Uni.createFrom().item(Response.status(Response.Status.FORBIDDEN).build());
        }
        return rows().map(rows -> Response.ok(rows.stream().map(row -> new LiveWorker(row.workerId(), row.status(),
                row.telemetry(), row.tasks(), row.seen())).toList()).header("Cache-Control", "no-store").build());
    }

    private Uni<List<WorkerRows.WorkerRow>> rows() {
        return workers.list().map(all -> all.stream().map(WorkerRows::of)
                .sorted(Comparator.comparing(WorkerRows.WorkerRow::workerId)).toList());
    }
}
