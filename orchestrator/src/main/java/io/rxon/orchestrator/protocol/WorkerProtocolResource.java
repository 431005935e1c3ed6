package io.rxon.orchestrator.protocol;

import io.rxon.orchestrator.worker.WorkerDirectory;
import io.rxon.orchestrator.worker.WorkerService;
import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.security.ZeroTrustGate;
import io.rxon.orchestrator.api.Ids;
import io.rxon.orchestrator.api.JsonBodies;
import io.rxon.orchestrator.dispatch.Dispatcher;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.job.ResultOutcome;
import io.rxon.orchestrator.security.RateLimiter;
import io.rxon.orchestrator.security.WorkerAuthenticator;
import io.rxon.orchestrator.security.WorkerIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The worker-facing HTTP protocol under {@code /_worker} (PROTOCOL.md §4.1), wire-compatible with
 * the reference: every request is authenticated, every signed message passes the zero-trust gate
 * over its raw JSON before it is decoded, and every reply is JSON. A worker that registered through
 * another replica is loaded from the database right after authentication ({@link WorkerDirectory}),
 * so keys, skills and dispatch behave here as on the replica that saw the registration.
 */
@Path(Protocol.WORKER_PREFIX)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class WorkerProtocolResource {

    private final WorkerAuthenticator authenticator;
    private final SignatureKeys keys;
    private final RateLimiter limiter;
    private final ZeroTrustGate gate;
    private final WorkerService workers;
    private final Dispatcher dispatcher;
    private final WorkerInbox inbox;
    private final WorkerDirectory directory;

    public WorkerProtocolResource(WorkerAuthenticator authenticator, SignatureKeys keys, RateLimiter limiter,
            ZeroTrustGate gate, WorkerService workers, Dispatcher dispatcher, WorkerInbox inbox,
            WorkerDirectory directory) {
        this.directory = directory;
        this.authenticator = authenticator;
        this.keys = keys;
        this.limiter = limiter;
        this.gate = gate;
        this.workers = workers;
        this.dispatcher = dispatcher;
        this.inbox = inbox;
    }

    @POST
    @Path("/workers/register")
    @Operation(summary = "Register (or re-register) a worker")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "WorkerRegistration")))
    @APIResponse(responseCode = "200", description = "Registered; `push_dispatch` only when asked for", content =
            @Content(mediaType = MediaType.APPLICATION_JSON, example = "{\"status\": \"registered\", "
                    + "\"version\": \"1.0b16\", \"push_dispatch\": true}"))
    public Uni<Map<String, Object>> register(byte[] body, HttpHeaders headers) {
        JsonNode raw = parse(body, headers);
        return authenticate(headers, hint(headers, raw), RateLimiter.Action.REGISTER).chain(identity -> {
            gate.check(raw, identity.workerId(), keys.forRegistration(identity, raw), List.of());
            WorkerRegistration registration = WorkerMessages.registration(raw);
            return workers.register(identity.workerId(), registration, headers.getHeaderString(Protocol.HEADER_VERSION));
        });
    }

    @GET
    @Path("/workers/{worker_id}/tasks/next")
    @Operation(summary = "Long-poll for the next task")
    @APIResponse(responseCode = "200", description = "A task", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "TaskPayload")))
    @APIResponse(responseCode = "204", description = "Nothing came within the timeout")
    public Uni<Response> poll(@RestPath("worker_id") String workerId, @RestQuery("timeout") String timeout,
            @RestQuery("available_skills") String availableSkills, HttpHeaders headers) {
        Duration wait = parseTimeout(timeout);
        Set<String> skills = parseSkills(availableSkills);
        return authenticate(headers, workerId, RateLimiter.Action.POLL)
                .chain(identity -> dispatcher.poll(identity.workerId(), wait, skills))
                .map(claimed -> claimed.isPresent()
                        ? Response.ok(claimed.get().payload(), MediaType.APPLICATION_JSON_TYPE).build()
                        : Response.noContent().build());
    }

    @POST
    @Path("/tasks/result")
    @Operation(summary = "Report a task's result")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "TaskResult")))
    @APIResponse(responseCode = "200", description = "`accepted` with the transition taken, or `ignored` with the "
            + "reason", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "ResultAnswer")))
    public Uni<ResultOutcome.Response> result(byte[] body, HttpHeaders headers) {
        JsonNode raw = parse(body, headers);
        return authenticate(headers, hint(headers, raw), RateLimiter.Action.REPORT)
                .chain(identity -> inbox.result(identity.workerId(), raw, keys.forMessage(identity)))
                .map(ResultOutcome::response);
    }

    @PATCH
    @Path("/workers/{worker_id}")
    @Operation(summary = "Heartbeat; an empty body only refreshes the worker's TTL")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Heartbeat")))
    @APIResponse(responseCode = "200", description = "`ok` with instructions, `ttl_refreshed` for an empty body, "
            + "or JSON `null` for an unknown worker's empty body", content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "HeartbeatResponse")))
    public Uni<Response> heartbeat(@RestPath("worker_id") String workerId, byte[] body, HttpHeaders headers) {
        JsonNode raw = body == null || body.length == 0 ? null : parse(body, headers);
        return authenticate(headers, workerId, RateLimiter.Action.HEARTBEAT).chain(identity -> {
            if (raw == null) {
                return workers.touch(identity.workerId()).map(WorkerProtocolResource::jsonOrNull);
            }
            gate.check(raw, identity.workerId(), keys.forMessage(identity), List.of());
            Heartbeat heartbeat = WorkerMessages.heartbeat(raw);
            return workers.heartbeat(identity.workerId(), heartbeat).map(WorkerProtocolResource::json);
        });
    }

    @POST
    @Path("/events")
    @Operation(summary = "Send a worker event (progress or custom)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "WorkerEventPayload")))
    @APIResponse(responseCode = "200", description = "`event_accepted`, or `ignored` with the reason", content =
            @Content(mediaType = MediaType.APPLICATION_JSON, example = "{\"status\": \"event_accepted\"}"))
    public Uni<Map<String, Object>> event(byte[] body, HttpHeaders headers) {
        JsonNode raw = parse(body, headers);
        return authenticate(headers, hint(headers, raw), RateLimiter.Action.REPORT)
                .chain(identity -> inbox.event(identity.workerId(), raw, keys.forMessage(identity)));
    }

    private Uni<WorkerIdentity> authenticate(HttpHeaders headers, String workerId, RateLimiter.Action action) {
        String token = WorkerAuthenticator.tokenFrom(headers.getHeaderString(Protocol.HEADER_WORKER_TOKEN),
                headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        return authenticator.authenticate(token, workerId)
                .invoke(identity -> limiter.check(identity.workerId(), action))
                .call(identity -> directory.known(identity.workerId()));
    }

    /** The claimed sender: {@code X-Worker-ID}, else the body's {@code worker_id}. */
    private static String hint(HttpHeaders headers, JsonNode raw) {
        String header = headers.getHeaderString(Protocol.HEADER_WORKER_ID);
        if (header != null && !header.isEmpty()) {
            return header;
        }
        JsonNode workerId = raw.get("worker_id");
        return workerId != null && workerId.isTextual() ? workerId.textValue() : null;
    }

    private static JsonNode parse(byte[] body, HttpHeaders headers) {
        return JsonBodies.object(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
    }

    /** {@code a,b} as a set (trimmed, empties dropped); absent means "all my skills", present-but-empty "none". */
    static Set<String> parseSkills(String list) {
        if (list == null) {
            return null;
        }
        Set<String> skills = Arrays.stream(list.split(",")).map(String::trim).filter(skill -> !skill.isEmpty())
                .collect(Collectors.toSet());
        skills.forEach(skill -> Ids.require(skill, "each of available_skills"));
        return skills;
    }

    /** The poll timeout in decimal seconds ({@code 5.0}); absent means the server's maximum. */
    static Duration parseTimeout(String timeout) {
        if (timeout == null || timeout.isBlank()) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(timeout.trim());
            if (seconds.signum() < 0) {
                throw new InvalidRequestException("timeout must not be negative");
            }
            return Duration.ofMillis(seconds.movePointRight(3).min(BigDecimal.valueOf(Long.MAX_VALUE / 2)).longValue());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("timeout must be a number of seconds, got '" + timeout + "'", e);
        }
    }

    private static Response json(Object body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response jsonOrNull(Map<String, Object> body) {
        return body == null ? Response.ok("null", MediaType.APPLICATION_JSON_TYPE).build() : json(body);
    }
}
