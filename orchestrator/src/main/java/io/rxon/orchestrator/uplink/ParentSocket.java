package io.rxon.orchestrator.uplink;

import io.quarkus.logging.Log;
import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerCommand;
import io.rxon.common.protocol.socket.ServerFrame;
import io.rxon.common.transport.RegistrationResponse;
import io.rxon.common.transport.SocketListener;
import io.rxon.common.transport.SocketSession;
import io.rxon.common.transport.Transport;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The socket to the parent, opened when {@code RXON_PARENT_URL} is {@code ws(s)://} (the uplink's
 * counterpart of a worker's socket channel, docs/PUSH_DISPATCH.md): the parent's {@code cancel_task}
 * commands arrive here at once, and, when the parent consented to push dispatch in its register
 * answer, so do its tasks. Credits are the parent tasks this orchestrator may still take
 * ({@code RXON_PARENT_MAX_TASKS} less those it holds): granted when the socket opens and topped up
 * whenever a held task is done; a pushed task uses one. While push works the long-poll rests; when
 * the socket is down, the parent refused push, or it did not answer credits, the long-poll takes
 * over (the parent forgets credits with the connection). Callbacks come on the HTTP client's threads
 * and are handed to the uplink's own.
 */
final class ParentSocket implements SocketListener {

    private final Transport transport;
    private final IntSupplier free;
    private final Consumer<TaskPayload> tasks;
    private final Consumer<String> cancels;
    private final ExecutorService work;
    private final AtomicInteger credits = new AtomicInteger();
    private volatile boolean consented;
    private volatile boolean failed;
    private volatile SocketSession session;

    /**
     * @param free how many more parent tasks this orchestrator may take now
     * @param tasks takes a pushed task (on {@code work})
     * @param cancels cancels a parent task (on {@code work})
     */
    ParentSocket(Transport transport, IntSupplier free, Consumer<TaskPayload> tasks, Consumer<String> cancels,
            ExecutorService work) {
        this.transport = transport;
        this.free = free;
        this.tasks = tasks;
        this.cancels = cancels;
        this.work = work;
    }

    /** After each registration: opens the socket once, or reopens it when the parent's consent to push changed. */
    synchronized void registered(RegistrationResponse response) {
        boolean changed = response.pushDispatch() != consented;
        consented = response.pushDispatch();
        failed = false;
        if (session != null && !changed) {
            return;
        }
        if (session != null) {
            // the parent decides on push when the socket opens, from the registration it holds
            session.close();
        }
        session = transport.openSocket(this, true);
    }

    /** Whether tasks come over the socket now, so the long-poll rests. */
    boolean isPushing() {
        SocketSession current = session;
        return consented && !failed && current != null && current.isOpen();
    }

    /** Grants the parent as many credits as tasks may still be taken, less those already granted. */
    synchronized void topUp() {
        SocketSession current = session;
        if (!isPushing()) {
            return;
        }
        int more = free.getAsInt() - credits.get();
        if (more <= 0) {
            return;
        }
        credits.addAndGet(more);
        current.grantCredits(more).whenComplete((ignored, error) -> {
            if (error != null) {
                credits.addAndGet(-more);
                failed = true;
                Log.infof("the parent did not take %d credit(s) (%s); tasks come by long-poll", more,
                        error.getMessage());
            }
        });
    }

    /** Closes the socket; the next registration opens it again. */
    synchronized void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    @Override
    public void onConnected(SocketSession opened) {
        credits.set(0);
        failed = false;
        Log.infof("socket to the parent is open%s", consented ? ", the parent pushes tasks"
                : " (cancels only; tasks by long-poll)");
        work.submit(this::topUp);
    }

    @Override
    public void onDisconnected(int statusCode, String reason) {
        credits.set(0);
        Log.infof("socket to the parent closed (%d %s); long-polling until it is back", statusCode, reason);
    }

    @Override
    public void onConnectFailed(RxonException error) {
        Log.debugf("socket to the parent could not be opened: %s", error.getMessage());
    }

    @Override
    public void onCommand(WorkerCommand command) {
        if (Protocol.COMMAND_CANCEL_TASK.equals(command.command()) && command.taskId() != null) {
            Log.infof("the parent cancels task %s over the socket", command.taskId());
            work.submit(() -> cancels.accept(command.taskId()));
        } else {
            Log.debugf("command %s from the parent is not one an orchestrator carries out", command.command());
        }
    }

    @Override
    public void onTask(TaskPayload task) {
        credits.decrementAndGet();
        Log.debugf("the parent pushed task %s of job %s", task.taskId(), task.jobId());
        work.submit(() -> {
            tasks.accept(task);
            topUp();
        });
    }

    @Override
    public void onServerError(ServerFrame.ServerError error) {
        if (error.taskId() == null && ErrorCode.CONTRACT_VIOLATION_ERROR.name().equals(error.code())) {
            failed = true;
            Log.warnf("the parent refused push dispatch on this socket (%s); tasks come by long-poll", error.error());
        }
    }
}
