package io.rxon.orchestrator.error;

import io.quarkus.logging.Log;
import io.rxon.common.error.RxonRateLimitException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.Protocol;
import io.rxon.orchestrator.metrics.OrchestratorMetrics;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Renders every failure once, in the dialect of the API it happened on: worker endpoints answer
 * {@code {"error", "code"}} as the reference client expects, the client API answers
 * {@code application/problem+json} carrying the RXON code. No stack traces or class names leave.
 */
public class ErrorMappers {

    public static final String PROBLEM_JSON = "application/problem+json";

    /** Seconds a caller should wait after a 503: about what an embedded database restart takes. */
    static final String UNAVAILABLE_RETRY_AFTER = "2";

    private final OrchestratorMetrics metrics;

    public ErrorMappers(OrchestratorMetrics metrics) {
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    public Response map(WebApplicationException error, UriInfo uri) {
        int status = error.getResponse().getStatus();
        ErrorCode code = status == 413 || status == 429 ? ErrorCode.LIMIT_EXCEEDED_ERROR
                : status == 404 ? ErrorCode.DEPENDENCY_MISSING_ERROR
                : status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_INPUT_ERROR;
        Log.debugf("%s -> %d %s", uri.getPath(), status, error.getMessage());
        return render(new ErrorCatalog.Entry(status, code, error.getResponse().getStatusInfo().getReasonPhrase()),
                error.getMessage(), uri.getPath(), null, Map.of());
    }

    @ServerExceptionMapper
    public Response map(Throwable error, UriInfo uri) {
        ErrorCatalog.Entry entry = ErrorCatalog.of(error);
        if (entry.status() == 500) {
            Log.errorf(error, "%s failed", uri.getPath());
        } else if (entry.status() > 501) {
            // A dependency (database, blob store) is down or refusing: worth a warning, not a stack trace each time.
            Log.warnf("%s answered %d: %s", uri.getPath(), entry.status(), error.getMessage());
        } else {
            Log.infof("%s rejected with %d: %s", uri.getPath(), entry.status(), error.getMessage());
        }
        if ((entry.status() == 401 || entry.status() == 403) && uri.getPath().startsWith(Protocol.WORKER_PREFIX)) {
            metrics.refused(entry.status());
        }
        String retryAfter = error instanceof RxonRateLimitException limit
                ? limit.retryAfter().map(d -> Long.toString(Math.max(1, (d.toMillis() + 999) / 1000))).orElse("1")
                : entry.status() == 503 ? UNAVAILABLE_RETRY_AFTER : null;
        // Schema violations travel as a problem extension member, one readable line each (RFC 9457 §3.2).
        Map<String, Object> extensions = error instanceof InvalidParamsException invalid
                ? Map.of("violations", invalid.violations())
                : error instanceof InvalidDefinitionException definition ? Map.of("problems", definition.problems())
                : Map.of();
        return render(entry, ErrorCatalog.publicMessage(error, entry), uri.getPath(), retryAfter, extensions);
    }

    static Response render(ErrorCatalog.Entry entry, String message, String path, String retryAfter,
            Map<String, Object> extensions) {
        boolean workerApi = path != null && path.startsWith(Protocol.WORKER_PREFIX);
        Response.ResponseBuilder response = Response.status(entry.status())
                .type(workerApi ? MediaType.APPLICATION_JSON : PROBLEM_JSON);
        if (retryAfter != null) {
            response.header("Retry-After", retryAfter);
        }
        return response.entity(body(entry, message, workerApi, extensions)).build();
    }

    /** The error body of {@code entry} in the worker or the client API's dialect (also the OpenAPI examples). */
    public static Map<String, Object> body(ErrorCatalog.Entry entry, String message, boolean workerApi) {
        return body(entry, message, workerApi, Map.of());
    }

    private static Map<String, Object> body(ErrorCatalog.Entry entry, String message, boolean workerApi,
            Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (workerApi) {
            body.put("error", message == null ? entry.title() : message);
            body.put("code", entry.code().name());
        } else {
            body.put("type", "about:blank");
            body.put("title", entry.title());
            body.put("status", entry.status());
            body.put("detail", message == null ? entry.title() : message);
            body.put("code", entry.code().name());
            body.putAll(extensions);
        }
        return body;
    }
}
