package io.rxon.common.transport;

import io.rxon.common.error.RxonNetworkException;
import io.rxon.common.protocol.WorkerEventPayload;
import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The socket channels a transport has opened and not yet seen end: events prefer an open one, and
 * closing the transport closes them all. A channel removes itself once it terminates.
 */
final class SocketChannels {

    /** Logs under the transport's name, the category operators already filter on. */
    private static final System.Logger LOG = System.getLogger(HttpTransport.class.getName());

    private final HttpClient client;
    private final MessageStamper stamper;
    private final Supplier<Map<String, String>> handshakeHeaders;
    private final Set<WebSocketChannel> channels = new CopyOnWriteArraySet<>();

    SocketChannels(HttpClient client, MessageStamper stamper, Supplier<Map<String, String>> handshakeHeaders) {
        this.client = client;
        this.stamper = stamper;
        this.handshakeHeaders = handshakeHeaders;
    }

    SocketSession open(WebSocketChannel.Settings settings, SocketListener listener, boolean reconnect) {
        WebSocketChannel channel = new WebSocketChannel(client, settings, handshakeHeaders, listener, reconnect,
                stamper, channels::remove);
        channels.add(channel);
        channel.start();
        return channel;
    }

    /**
     * Sends an already stamped event over the first open channel and waits for its answer; false
     * when there is none or it failed, so the caller posts the event over HTTP instead.
     */
    boolean trySend(WorkerEventPayload event, Duration timeout) {
        Optional<WebSocketChannel> socket = channels.stream().filter(WebSocketChannel::isOpen).findFirst();
        if (socket.isEmpty()) {
            return false;
        }
        try {
            socket.get().sendEvent(event).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.INFO, "Event {0} could not go over the socket, posting it: {1}", event.eventId(), e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RxonNetworkException("Interrupted while sending event " + event.eventId(), e);
        }
    }

    void closeAll() {
        channels.forEach(WebSocketChannel::close);
    }
}
