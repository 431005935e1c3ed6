package io.rxon.orchestrator.worker;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * What a heartbeat asks of the tasks a worker reports running (implemented by the job lifecycle,
 * which owns task leases): renew the leases the worker still holds, and name the reported tasks it
 * should stop (PROTOCOL.md §11.5).
 */
public interface TaskLeases {

    /** Renews the leases of {@code taskIds} still assigned to the worker until {@code until}; returns those to cancel. */
    Uni<List<String>> renew(String workerId, List<String> taskIds, long until);
}
