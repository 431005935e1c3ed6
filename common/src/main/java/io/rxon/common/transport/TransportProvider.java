package io.rxon.common.transport;

/**
 * A transport for a URL scheme {@link Transports} does not know itself, found with
 * {@link java.util.ServiceLoader}. The in-memory orchestrator of the tests ({@code mock:}) comes
 * this way, from rxon-common's test-jar, so no fake ships in the library.
 */
public interface TransportProvider {

    /** @param lowerCaseUrl the configured URL in lower case */
    boolean handles(String lowerCaseUrl);

    Transport create(String url, String workerId, TransportOptions options);
}
