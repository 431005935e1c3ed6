package io.rxon.orchestrator.uplink;

import io.rxon.common.transport.OidcClientCredentials;
import io.rxon.common.transport.Transport;
import io.rxon.common.transport.TransportOptions;
import io.rxon.common.transport.Transports;
import io.rxon.orchestrator.config.OrchestratorConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The connection to the parent, made exactly as a worker makes its own (rxon-common's
 * {@link Transports}): with {@code RXON_PARENT_TOKEN}, which also signs every message (HMAC), or
 * with an OIDC client-credentials identity.
 */
final class ParentTransport {

    private ParentTransport() {}

    static Transport create(String url, String workerId, OrchestratorConfig.Parent parent) {
        if (parent.oidcTokenUrl().isPresent()) {
            OidcClientCredentials credentials = new OidcClientCredentials(parent.oidcTokenUrl().get(),
                    parent.oidcClientId().orElse(workerId), parent.oidcClientSecret().orElse(""));
            return Transports.create(url, workerId, TransportOptions.builder().credentials(credentials).build());
        }
        return Transports.create(url, workerId, parent.token().orElse(""));
    }

    /** The parent's URL with a socket-preferring scheme ({@code ws(s)://}) turned into its HTTP(S) one. */
    static String overHttp(String url) {
        return url.regionMatches(true, 0, "ws", 0, 2) ? "http" + url.substring(2) : url;
    }

    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
