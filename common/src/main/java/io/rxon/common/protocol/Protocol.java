package io.rxon.common.protocol;

import java.util.List;
import java.util.Set;

/**
 * Wire constants of RXON (PROTOCOL.md §2.6): version, headers, endpoint paths, job statuses and the
 * reserved orchestrator identity. One place so that the orchestrator and the worker cannot drift.
 * Closed sets are enums with their wire names: {@link ResultStatus}, {@link WorkerStatus},
 * {@link IgnoredReason}; job statuses stay strings here for the orchestrator's own job states.
 */
public final class Protocol {

    /** The protocol version we announce in {@value #HEADER_VERSION}; the newest reference version. */
    public static final String VERSION = "1.0b16";

    public static final String HEADER_VERSION = "X-RXON-Version";
    public static final String HEADER_WORKER_TOKEN = "X-Worker-Token";
    public static final String HEADER_WORKER_ID = "X-Worker-ID";
    public static final String HEADER_CLIENT_TOKEN = "X-Client-Token";

    /** Fixed prefix of every worker-facing endpoint. */
    public static final String WORKER_PREFIX = "/_worker";
    public static final String PATH_REGISTER = WORKER_PREFIX + "/workers/register";
    public static final String PATH_RESULT = WORKER_PREFIX + "/tasks/result";
    public static final String PATH_EVENTS = WORKER_PREFIX + "/events";
    public static final String PATH_TOKEN = WORKER_PREFIX + "/auth/token";
    public static final String PATH_TOKEN_REFRESH = WORKER_PREFIX + "/auth/token/refresh";
    /**
     * rxon-java extension (docs/HOLARCHY.md): presigned PUT URLs into a held task's job directory, for
     * an orchestrator worker with another blob store that hands its result's blobs up. A reference
     * orchestrator answers 404.
     */
    public static final String PATH_BLOB_UPLOAD_URLS = WORKER_PREFIX + "/blobs/upload-urls";

    /** The orchestrator's own identity; no worker may use it. */
    public static final String GHOST_WORKER_ID = "ghost";

    public static final String JOB_PENDING = "pending";
    public static final String JOB_WAITING_FOR_WORKER = "waiting_for_worker";
    public static final String JOB_RUNNING = "running";
    public static final String JOB_FINISHED = "finished";
    public static final String JOB_FAILED = "failed";
    public static final String JOB_ERROR = "error";
    public static final String JOB_QUARANTINED = "quarantined";
    public static final String JOB_CANCELLED = "cancelled";
    public static final String JOB_WAITING_FOR_HUMAN = "waiting_for_human";
    public static final String JOB_WAITING_FOR_PARALLEL = "waiting_for_parallel_tasks";
    /** rxon's terminal job statuses. */
    public static final Set<String> TERMINAL_JOB_STATUSES =
            Set.of(JOB_FINISHED, JOB_FAILED, JOB_ERROR, JOB_QUARANTINED, JOB_CANCELLED);

    public static final String COMMAND_CANCEL_TASK = "cancel_task";
    public static final String EVENT_PROGRESS = "progress";


    public static final String HEARTBEAT_REQUIRE_FULL_SYNC = "require_full_sync";
    public static final String HEARTBEAT_CANCEL_TASK_IDS = "cancel_task_ids";

    /**
     * Capability flag (in {@code capabilities.extra}) announcing the push-dispatch extension; the
     * same key, {@code true}, in the register answer is the orchestrator's consent (only an rxon-java
     * orchestrator answering a registration that announced it sends it: docs/PUSH_DISPATCH.md).
     */
    public static final String EXTRA_PUSH_DISPATCH = "push_dispatch";
    /**
     * Capability (in {@code capabilities.extra}) carrying the worker's Ed25519 public key as SPKI
     * PEM: its messages are then signed with the private key (PROTOCOL.md §11, asymmetric signatures).
     */
    public static final String EXTRA_ED25519_PUBLIC_KEY = "ed25519_public_key";

    /**
     * Capability flag (in {@code capabilities.extra}) of a worker that is itself an orchestrator
     * serving this one (docs/HOLARCHY.md); such a worker also receives a task's {@code requirements}
     * (the key {@link #TASK_REQUIREMENTS}), which it needs to place the task in its own fleet.
     */
    public static final String EXTRA_ORCHESTRATOR = "rxon_orchestrator";

    /**
     * Capability (in {@code capabilities.extra}, an integer) of an orchestrator worker: how many levels
     * of orchestrators it spans down to its leaf workers (1 when its workers are plain workers).
     */
    public static final String EXTRA_HOLARCHY_LEVELS = "holarchy_levels";

    /** Key of a task's requirements in a task handed to an orchestrator worker (never to a plain worker). */
    public static final String TASK_REQUIREMENTS = "requirements";

    /**
     * Key of the presigned GET URLs in a task handed to an orchestrator worker whose
     * {@code s3_config_hash} differs from the parent's (docs/HOLARCHY.md): for each {@code s3://}
     * reference of the params into the parent's bucket, {@code {"url", "headers", "expires_at"}}, so
     * that the child can copy the blob into its own store. A negotiated extension like
     * {@link #TASK_REQUIREMENTS}: plain workers never see it, a Python peer ignores it.
     */
    public static final String TASK_BLOB_URLS = "blob_urls";

    /** Capability flag the reference SDK sets when it opens the command socket. */
    public static final String EXTRA_WEBSOCKETS = "websockets";

    /** Maximum distance between a message timestamp and now, in seconds (inclusive). */
    public static final long TIMESTAMP_WINDOW_SECONDS = 60;

    /** Top-level fields never covered by a message signature. */
    public static final List<String> UNSIGNED_FIELDS = List.of("security", "_signature");

    private Protocol() {}

    public static String pollPath(String workerId) {
        return WORKER_PREFIX + "/workers/" + workerId + "/tasks/next";
    }

    public static String heartbeatPath(String workerId) {
        return WORKER_PREFIX + "/workers/" + workerId;
    }

    public static String socketPath(String workerId) {
        return WORKER_PREFIX + "/ws/" + workerId;
    }
}
