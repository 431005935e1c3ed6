package io.rxon.orchestrator.error;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

/**
 * Recognises a failure that means "the database cannot be reached right now" rather than "this request
 * is wrong" or "the orchestrator has a bug", so that {@link ErrorCatalog} answers 503 with
 * {@code Retry-After}: the caller should simply try again. It exists because the reactive PostgreSQL
 * client reports an outage in many shapes (refused or timed-out connects, connections closed under a
 * statement, a pool that hands out no connection in time, a server shutting down or starting up) and
 * Hibernate Reactive and Mutiny wrap them, so the whole cause chain is searched.
 */
public final class DatabaseUnavailable {

    /**
     * SQLSTATEs of a server that is going away or not there yet: admin shutdown, crash shutdown, cannot
     * connect now (starting up, in recovery), too many connections. Class 08 (connection exception) too.
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    /** The pool's answer when no connection became free within the acquire timeout. */
    private static final String POOL_TIMEOUT = "Timeout";

    private static final int MAX_DEPTH = 16;

    private DatabaseUnavailable() {
    }

    public static boolean causedBy(Throwable error) {
        Throwable cause = error;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (isOutage(cause)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOutage(Throwable error) {
        if (error instanceof ClosedConnectionException || error instanceof SocketException
                || error instanceof ClosedChannelException) {
            // SocketException covers ConnectException: refused, and Netty's connect timeout.
            return true;
        }
        if (error instanceof PgException pg) {
            String state = String.valueOf(pg.getSqlState());
            return state.startsWith("08") || UNAVAILABLE_STATES.contains(state);
        }
        if (error instanceof NoStackTraceThrowable || error instanceof VertxException) {
            String message = String.valueOf(error.getMessage());
            return message.equals(POOL_TIMEOUT) || message.startsWith("Timeout waiting for connection");
        }
        // Netty's native transport reports a reset connection as its own IOException.
        return error instanceof IOException && error.getClass().getName().startsWith("io.netty.");
    }
}
