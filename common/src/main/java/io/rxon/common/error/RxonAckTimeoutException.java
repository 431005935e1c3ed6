package io.rxon.common.error;

/**
 * The socket is open but the orchestrator did not answer a frame that must be answered (a
 * {@code credit} or a {@code result}) in time: it is overloaded, stuck, or does not speak the
 * push-dispatch extension after all. Safe to retry, preferably over HTTP.
 */
public class RxonAckTimeoutException extends RxonNetworkException {

    private static final long serialVersionUID = 1L;

    public RxonAckTimeoutException(String message) {
        super(message, null);
    }
}
