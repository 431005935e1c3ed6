package io.rxon.common.transport;

import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageSigning;
import java.util.Locale;
import java.util.Objects;

/**
 * The one entry point for a worker's connection, the reference's {@code create_transport}
 * (PROTOCOL.md §10): the URL scheme picks the transport, so configuration alone moves a worker
 * between HTTP, HTTPS, socket-preferring and in-memory test setups.
 */
public final class Transports {

    private Transports() {}

    /**
     * A transport with default options that signs messages with HMAC over {@code token}, as the
     * reference SDK does, unless the token is empty or the documentation placeholder.
     */
    public static Transport create(String url, String workerId, String token) {
        TransportOptions options = TransportOptions.builder().token(token).build();
        if (MessageSigning.isUsableSecret(token)) {
            options = options.withSigning(new MessageSigning(new HmacSigner(token), workerId));
        }
        return create(url, workerId, options);
    }

    /**
     * @param url {@code http(s)://host[:port][/prefix]}; {@code ws(s)://...} means the same
     *     orchestrator over HTTP(S) with the socket channel preferred; {@code mock:...} an
     *     in-memory {@link MockTransport}
     * @throws IllegalArgumentException for any other scheme
     */
    public static Transport create(String url, String workerId, TransportOptions options) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(options, "options");
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return new HttpTransport(url, workerId, options, false);
        }
        if (lower.startsWith("ws://") || lower.startsWith("wss://")) {
            return new HttpTransport("http" + url.substring(2), workerId, options, true);
        }
        if (lower.startsWith("mock:")) {
            return new MockTransport(workerId, options.credentials().token());
        }
        throw new IllegalArgumentException("Unsupported transport scheme in URL: " + url);
    }
}
