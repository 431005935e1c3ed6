package io.rxon.orchestrator.openapi;

import io.rxon.common.error.RxonException;
import io.rxon.common.error.RxonRateLimitException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.orchestrator.error.ConflictException;
import io.rxon.orchestrator.error.ErrorCatalog;
import io.rxon.orchestrator.error.ErrorMappers;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.error.NotConfiguredException;
import io.rxon.orchestrator.error.PayloadTooLargeException;
import io.rxon.orchestrator.error.ResourceNotFoundException;
import io.rxon.orchestrator.error.UnauthenticatedException;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Error responses of the OpenAPI document, made by the error catalog itself: for each status a
 * representative failure goes through {@link ErrorCatalog} and {@link ErrorMappers#body}, so the
 * documented code, title and body shape are exactly what the orchestrator sends.
 */
final class OpenApiErrors {

    static final String PROBLEM_SCHEMA = "Problem";
    static final String WORKER_ERROR_SCHEMA = "WorkerError";

    /** One failure per status, with a message such as the orchestrator gives. */
    private static final Map<String, Throwable> SAMPLES = Map.ofEntries(
            Map.entry("400", new InvalidRequestException("max_attempts must be a whole number, got 2.5")),
            Map.entry("401", new UnauthenticatedException("missing or unknown credentials")),
            Map.entry("403", new ForbiddenActionException("this identity may not do that")),
            Map.entry("404", new ResourceNotFoundException("job 8d0c5a3e not found")),
            Map.entry("409", new ConflictException("job 8d0c5a3e already ended")),
            Map.entry("413", new PayloadTooLargeException("size is over the upload limit")),
            Map.entry("429", new RxonRateLimitException("rate limit exceeded; retry later", null, null)),
            Map.entry("500", new IllegalStateException("unexpected")),
            Map.entry("501", new NotConfiguredException("presigned URLs need an S3 blob store")),
            Map.entry("502", new RxonException("the blob store refused the request", ErrorCode.DEPENDENCY_ERROR)),
            Map.entry("503", new SocketException("connection refused")));

    private OpenApiErrors() {}

    static boolean isError(String status) {
        return status.length() == 3 && (status.charAt(0) == '4' || status.charAt(0) == '5');
    }

    /** Gives {@code response} (a 4xx/5xx without content) the error body of its API, with an example. */
    static void fill(String status, APIResponse response, boolean workerApi) {
        Throwable sample = SAMPLES.getOrDefault(status, SAMPLES.get("500"));
        ErrorCatalog.Entry entry = ErrorCatalog.of(sample);
        if (response.getDescription() == null || response.getDescription().isBlank()) {
            response.setDescription(entry.title());
        }
        if (response.getContent() == null || response.getContent().getMediaTypes().isEmpty()) {
            Map<String, Object> example = ErrorMappers.body(entry, ErrorCatalog.publicMessage(sample, entry), workerApi);
            response.setContent(OASFactory.createContent().addMediaType(
                    workerApi ? "application/json" : ErrorMappers.PROBLEM_JSON,
                    OASFactory.createMediaType().example(example).schema(OASFactory.createSchema()
                            .ref(workerApi ? WORKER_ERROR_SCHEMA : PROBLEM_SCHEMA))));
        }
        if (status.equals("429") || status.equals("503")) {
            response.addHeader("Retry-After", OASFactory.createHeader().description("Seconds to wait before retrying")
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)));
        }
    }

    /** A response documented without any body. */
    static APIResponse bodiless(String description) {
        return OASFactory.createAPIResponse().description(description).content(OASFactory.createContent());
    }

    /** {@code Problem} (RFC 9457 with the RXON code) and {@code WorkerError} ({@code {error, code}}). */
    static Map<String, Schema> schemas() {
        Schema code = OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                .enumeration(Arrays.stream(ErrorCode.values()).map(ErrorCode::name).map(Object.class::cast).toList())
                .description("The RXON error code");
        Schema problem = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("application/problem+json (RFC 9457) carrying the RXON error code")
                .addProperty("type", string("always about:blank")).addProperty("title", string("the HTTP reason"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", string("what was wrong, naming the offending field"))
                .addProperty("code", code)
                .required(List.of("type", "title", "status", "detail", "code"));
        Schema worker = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("The worker protocol's error body, as the reference client expects it")
                .addProperty("error", string("what was wrong")).addProperty("code", code)
                .required(List.of("error", "code"));
        return Map.of(PROBLEM_SCHEMA, problem, WORKER_ERROR_SCHEMA, worker);
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }
}
