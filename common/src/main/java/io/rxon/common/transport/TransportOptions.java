package io.rxon.common.transport;

import io.rxon.common.security.MessageSigning;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Everything a transport needs besides the URL and the worker id, as one immutable snapshot with
 * the reference's defaults (3 result attempts, 100 ms doubling, socket backoff 1 s to 60 s). Build
 * it with {@link #builder()}; a worker's configuration maps onto it one to one.
 *
 * @param credentials the source of {@code X-Worker-Token}
 * @param signing signs register, heartbeat, result and event messages; null sends them unsigned
 * @param resultRetries attempts at submitting a result when the network fails (at least 1)
 * @param resultRetryDelay wait before the second attempt, doubled before each further one
 * @param connectTimeout TCP/TLS connect timeout of a transport-owned HTTP client and of the socket
 * @param requestTimeout timeout of every request except a long-poll (which gets its timeout + 5 s)
 * @param httpClient a shared client to use instead of building one; null builds one
 * @param sslContext TLS (and mTLS) settings of a transport-owned client; null uses the JDK default
 * @param clock the source of message timestamps and of the "now" behind {@code Retry-After} dates
 * @param socketBackoff reconnect delays of the socket channel
 * @param socketAckTimeout how long a {@code credit} or {@code result} sent over the socket waits for
 *     its answer before the worker falls back to long-poll and HTTP (default 3 s)
 */
public record TransportOptions(
        Credentials credentials,
        MessageSigning signing,
        int resultRetries,
        Duration resultRetryDelay,
        Duration connectTimeout,
        Duration requestTimeout,
        HttpClient httpClient,
        SSLContext sslContext,
        Clock clock,
        Backoff socketBackoff,
        Duration socketAckTimeout) {

    public TransportOptions {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(socketBackoff, "socketBackoff");
        if (resultRetries < 1) {
            throw new IllegalArgumentException("resultRetries must be at least 1, got " + resultRetries);
        }
        requireNotNegative(resultRetryDelay, "resultRetryDelay");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(socketAckTimeout, "socketAckTimeout");
        if (httpClient != null && sslContext != null) {
            throw new IllegalArgumentException("give the SSLContext to the shared HttpClient, not to both");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public TransportOptions withSigning(MessageSigning newSigning) {
        return toBuilder().signing(newSigning).build();
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void requireNotNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }

    /** Builder with the reference defaults; only the token usually needs setting. */
    public static final class Builder {
        private Credentials credentials = Credentials.ofToken(null);
        private MessageSigning signing;
        private int resultRetries = 3;
        private Duration resultRetryDelay = Duration.ofMillis(100);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private HttpClient httpClient;
        private SSLContext sslContext;
        private Clock clock = Clock.systemUTC();
        private Backoff socketBackoff = Backoff.SOCKET_DEFAULT;
        private Duration socketAckTimeout = Duration.ofSeconds(3);

        private Builder() {}

        private Builder(TransportOptions options) {
            credentials = options.credentials;
            signing = options.signing;
            resultRetries = options.resultRetries;
            resultRetryDelay = options.resultRetryDelay;
            connectTimeout = options.connectTimeout;
            requestTimeout = options.requestTimeout;
            httpClient = options.httpClient;
            sslContext = options.sslContext;
            clock = options.clock;
            socketBackoff = options.socketBackoff;
            socketAckTimeout = options.socketAckTimeout;
        }

        public Builder token(String token) {
            return credentials(Credentials.ofToken(token));
        }

        public Builder credentials(Credentials value) {
            credentials = value;
            return this;
        }

        public Builder signing(MessageSigning value) {
            signing = value;
            return this;
        }

        public Builder resultRetries(int value) {
            resultRetries = value;
            return this;
        }

        public Builder resultRetryDelay(Duration value) {
            resultRetryDelay = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        public Builder httpClient(HttpClient value) {
            httpClient = value;
            return this;
        }

        public Builder sslContext(SSLContext value) {
            sslContext = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        public Builder socketBackoff(Backoff value) {
            socketBackoff = value;
            return this;
        }

        public Builder socketAckTimeout(Duration value) {
            socketAckTimeout = value;
            return this;
        }

        public TransportOptions build() {
            return new TransportOptions(credentials, signing, resultRetries, resultRetryDelay, connectTimeout,
                    requestTimeout, httpClient, sslContext, clock, socketBackoff, socketAckTimeout);
        }
    }
}
