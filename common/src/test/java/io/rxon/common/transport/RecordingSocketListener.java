package io.rxon.common.transport;

import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.socket.ServerFrame;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects socket callbacks in queues so tests can wait for them without sleeping. */
final class RecordingSocketListener implements SocketListener {

    final BlockingQueue<SocketSession> connected = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> disconnected = new LinkedBlockingQueue<>();
    final BlockingQueue<RxonException> connectFailures = new LinkedBlockingQueue<>();
    final BlockingQueue<WorkerCommand> commands = new LinkedBlockingQueue<>();
    final BlockingQueue<TaskPayload> tasks = new LinkedBlockingQueue<>();
    final BlockingQueue<ServerFrame.ResultAck> acks = new LinkedBlockingQueue<>();
    final BlockingQueue<ServerFrame.ServerError> errors = new LinkedBlockingQueue<>();

    /** The next element, failing the test when none arrives within five seconds. */
    static <T> T next(BlockingQueue<T> queue) {
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
