package io.rxon.worker.runtime;

import io.quarkus.logging.Log;
import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.socket.ServerFrame;
import io.rxon.common.transport.SocketListener;
import io.rxon.common.transport.SocketSession;

/**
 * The listener of one socket, opened for push (consented) or for reference frames only. Its events
 * go to the {@link PushDispatch} that opened it, which ignores them once this socket was replaced.
 */
final class PushChannel implements SocketListener {

    private final PushDispatch dispatch;
    private final PushedWork work;
    private final boolean push;
    private volatile SocketSession opened;

    PushChannel(PushDispatch dispatch, PushedWork work, boolean push) {
        this.dispatch = dispatch;
        this.work = work;
        this.push = push;
    }

    /** Whether this socket was opened for push dispatch. */
    boolean push() {
        return push;
    }

    void opened(SocketSession value) {
        opened = value;
    }

    void close() {
        SocketSession value = opened;
        if (value != null) {
            value.close();
        }
    }

    @Override
    public void onConnected(SocketSession connectedSession) {
        opened = connectedSession;
        dispatch.connected(this, connectedSession);
    }

    @Override
    public void onDisconnected(int statusCode, String reason) {
        dispatch.disconnected(this, statusCode, reason);
    }

    @Override
    public void onConnectFailed(RxonException error) {
        Log.debugf("socket connection failed: %s", error.getMessage());
    }

    @Override
    public void onCommand(WorkerCommand command) {
        work.commandReceived(command);
    }

    @Override
    public void onTask(TaskPayload task) {
        work.taskPushed(task, dispatch.takeCredit());
    }

    @Override
    public void onServerError(ServerFrame.ServerError error) {
        dispatch.serverError(this, error);
    }
}
