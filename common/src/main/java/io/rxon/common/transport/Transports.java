package io.rxon.common.transport;

import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageSigning;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;

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
     *     orchestrator over HTTP(S) with the socket channel preferred; any other scheme a
     *     {@link TransportProvider} on the classpath handles ({@code mock:...}, the in-memory
     *     orchestrator of rxon-common's test-jar)
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
        for (TransportProvider provider : providers()) {
            if (provider.handles(lower)) {
                return provider.create(url, workerId, options);
            }
        }
        throw new IllegalArgumentException("Unsupported transport scheme in URL: " + url);
    }

    /**
     * Transports for other schemes ({@code mock:} in tests), looked up per call (a worker creates its
     * transports once): through the context class loader, which sees the test-jar in Quarkus tests.
     */
    private static List<TransportProvider> providers() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return ServiceLoader.load(TransportProvider.class, context != null ? context : Transports.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList();
    }
}
