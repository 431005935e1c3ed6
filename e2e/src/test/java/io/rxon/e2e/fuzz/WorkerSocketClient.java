package io.rxon.e2e.fuzz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One worker socket as the fuzzer sees it: whole text frames received, in order, and the close code. */
final class WorkerSocketClient implements WebSocket.Listener {

    private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile int closeCode = -1;
    private WebSocket socket;

    private WorkerSocketClient() {}

    /**
     * Opens {@code uri} with the worker headers.
     *
     * @throws WebSocketHandshakeException when the orchestrator refused the upgrade (its status inside)
     */
    static WorkerSocketClient open(HttpClient client, String uri, String workerId, String token) throws Exception {
        WorkerSocketClient listener = new WorkerSocketClient();
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .header("X-Worker-Token", token).header("X-RXON-Version", "1.0b16");
        if (workerId.chars().allMatch(c -> c > 0x20 && c < 0x7f) && workerId.length() < 4_000) {
            builder.header("X-Worker-ID", workerId);
        }
        try {
            listener.socket = builder.buildAsync(URI.create(uri), listener).get(10, TimeUnit.SECONDS);
            return listener;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                throw handshake;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("socket upgrade timed out", e);
        }
    }

    void send(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    /** The next whole frame, or null after {@code millis}. */
    String poll(long millis) throws InterruptedException {
        return replies.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** The code the orchestrator closed with, -1 while open. */
    int closeCode() {
        return closeCode;
    }

    void abort() {
        socket.abort();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            replies.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        return null;
    }
}
