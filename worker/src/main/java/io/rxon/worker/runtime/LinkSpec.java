package io.rxon.worker.runtime;

import io.rxon.common.transport.HttpTransport;
import io.rxon.common.transport.Transport;
import io.rxon.worker.host.WorkerProfile;
import java.util.Objects;
import java.util.Optional;

/**
 * One orchestrator as the runtime gets it: its transport (with its own credentials), its place in
 * the selection, and whether it wants the socket and push dispatch.
 *
 * @param url as configured, for logs and health
 * @param priority lower is asked first
 * @param weight share of the polls in round-robin mode
 * @param socket open the socket channel to it
 * @param pushDispatch negotiate push dispatch with it (only used when it is the worker's only orchestrator)
 * @param profile this orchestrator's registration profile, when it differs (another signing key); else the worker's
 */
public record LinkSpec(String url, Transport transport, int priority, int weight, boolean socket,
        boolean pushDispatch, Optional<WorkerProfile> profile) {

    public LinkSpec {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(profile, "profile");
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, got " + weight);
        }
        if (pushDispatch && !socket) {
            throw new IllegalArgumentException("push dispatch needs the socket channel");
        }
    }

    /** The single orchestrator of a worker configured the classic way. */
    public static LinkSpec single(Transport transport, RuntimeSettings settings) {
        String url = transport instanceof HttpTransport http ? http.baseUrl() : "an in-memory orchestrator";
        return new LinkSpec(url, transport, 10, 1, settings.socket(), settings.pushDispatch(), Optional.empty());
    }
}
