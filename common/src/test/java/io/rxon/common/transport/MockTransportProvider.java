package io.rxon.common.transport;

/** Makes {@code mock:...} URLs create a {@link MockTransport} wherever rxon-common's test-jar is on the classpath. */
public final class MockTransportProvider implements TransportProvider {

    @Override
    public boolean handles(String lowerCaseUrl) {
        return lowerCaseUrl.startsWith("mock:");
    }

    @Override
    public Transport create(String url, String workerId, TransportOptions options) {
        return new MockTransport(workerId, options.credentials().token());
    }
}
