package io.rxon.common.testing;

import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.socket.ServerFrame;
import io.rxon.common.transport.SocketListener;
import io.rxon.common.transport.SocketSession;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Collects socket callbacks in queues so tests can wait for them without sleeping; in common's
 * test-jar for the services' socket tests too.
 */
public final class RecordingSocketListener implements SocketListener {

    public final BlockingQueue<SocketSession> connected = new LinkedBlockingQueue<>();
    public final BlockingQueue<Integer> disconnected = new LinkedBlockingQueue<>();
    public final BlockingQueue<RxonException> connectFailures = new LinkedBlockingQueue<>();
    public final BlockingQueue<WorkerCommand> commands = new LinkedBlockingQueue<>();
    public final BlockingQueue<TaskPayload> tasks = new LinkedBlockingQueue<>();
    public final BlockingQueue<ServerFrame.ResultAck> acks = new LinkedBlockingQueue<>();
    public final BlockingQueue<ServerFrame.ServerError> errors = new LinkedBlockingQueue<>();

    /** The next element, failing the test when none arrives within five seconds. */
    public static <T> T next(BlockingQueue<T> queue) {
        try {
            T value = queue.poll(5, TimeUnit.SECONDS);
            if (value == null) {
                throw new AssertionError("nothing arrived within 5 s");
            }
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Waits for the socket to connect, failing with what went wrong instead: a loaded CI machine
     * gets fifteen seconds, and a refused upgrade names its reason rather than a bare null.
     */
    public SocketSession awaitConnected() {
        try {
            SocketSession session = connected.poll(15, TimeUnit.SECONDS);
            if (session == null) {
                throw new AssertionError("the socket did not connect within 15 s; connect failures: "
                        + connectFailures + ", closes: " + disconnected);
            }
            return session;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits up to fifteen seconds for the socket to close and returns its close code. */
    public int awaitDisconnected() {
        try {
            Integer code = disconnected.poll(15, TimeUnit.SECONDS);
            if (code == null) {
                throw new AssertionError("the socket did not close within 15 s");
            }
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void onConnected(SocketSession session) {
        connected.add(session);
    }

    @Override
    public void onDisconnected(int statusCode, String reason) {
        disconnected.add(statusCode);
    }

    @Override
    public void onConnectFailed(RxonException error) {
        connectFailures.add(error);
    }

    @Override
    public void onCommand(WorkerCommand command) {
        commands.add(command);
    }

    @Override
    public void onTask(TaskPayload task) {
        tasks.add(task);
    }

    @Override
    public void onResultAck(ServerFrame.ResultAck ack) {
        acks.add(ack);
    }

    @Override
    public void onServerError(ServerFrame.ServerError error) {
        errors.add(error);
    }
}
