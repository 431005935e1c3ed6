package io.rxon.orchestrator.events;

import io.quarkus.logging.Log;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.metrics.OrchestratorMetrics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.rxon.orchestrator.webhook.WebhookSender;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Posts job events to the job's {@code webhook_url}, as the reference does: terminal lifecycle
 * events ({@code job_finished}, {@code job_failed}, {@code job_quarantined}, {@code job_cancelled})
 * and worker events ({@code worker_event:<type>}). Calls are retried with backoff, run a few at a
 * time, and wait in a bounded queue: when it is full new calls are dropped and logged. Each
 * attempt goes through {@link WebhookSender}: a URL its address policy refuses is logged once and
 * not retried.
 */
@ApplicationScoped
public class WebhookNotifier {

    private static final String JOB = "SELECT webhook_url, status, result, error, metadata FROM jobs WHERE id = $1";

    private final Pool pool;
    private final WebhookSender sender;
    private final OrchestratorMetrics metrics;
    private final OrchestratorConfig.Webhooks config;
    private final Queue<Call> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** One webhook call waiting to be sent. */
    record Call(String url, JsonObject body) {}

    public WebhookNotifier(Pool pool, WebhookSender sender, OrchestratorConfig config, OrchestratorMetrics metrics) {
        this.pool = pool;
        this.sender = sender;
        this.metrics = metrics;
        this.config = config.webhooks();
    }

    /** Schedules the webhook call for an event, if it is one clients hear about and its job has a URL. */
    public void notify(JobEvent event) {
        if (isNotified(event)) {
            prepare(event);
        }
    }

    static boolean isNotified(JobEvent event) {
        return JobEventBus.TERMINAL_TYPES.contains(event.type()) || event.workerId() != null
                && !event.type().startsWith("job_") && !event.type().startsWith("task_");
    }

    private void prepare(JobEvent event) {
        pool.preparedQuery(JOB).execute(Tuple.of(event.jobId()))
                .map(rows -> rows.size() == 0 ? Optional.<Call>empty() : call(event, rows.iterator().next()))
                .subscribe().with(call -> call.ifPresent(this::enqueue),
                        error -> Log.warnf(error, "cannot prepare webhook for job %s", event.jobId()));
    }

    private static Optional<Call> call(JobEvent event, Row job) {
        String url = job.getString("webhook_url");
        if (url == null) {
            return Optional.empty();
        }
        String name = JobEventBus.TERMINAL_TYPES.contains(event.type()) ? event.type() : "worker_event:" + event.type();
        JsonObject body = new JsonObject()
                .put("event", name)
                .put("job_id", event.jobId())
                .put("status", job.getString("status"))
                .put("result", job.getJsonObject("result"))
                .put("error", job.getJsonObject("error"))
                .put("metadata", job.getJsonObject("metadata"))
                .put("payload", event.payload() == null ? null : new JsonObject(event.payload()))
                .put("timestamp", event.createdAt() / 1000);
        return Optional.of(new Call(url, body));
    }

    private void enqueue(Call call) {
        if (queued.incrementAndGet() > config.queueSize()) {
            queued.decrementAndGet();
            Log.warnf("webhook queue full (%d); dropping %s for job %s", config.queueSize(),
                    call.body().getString("event"), call.body().getString("job_id"));
            return;
        }
        queue.add(call);
        drain();
    }

    private void drain() {
        while (inFlight.get() < config.concurrency()) {
            if (inFlight.incrementAndGet() > config.concurrency()) {
                inFlight.decrementAndGet();
                return;
            }
            Call call = queue.poll();
            if (call == null) {
                inFlight.decrementAndGet();
                return;
            }
            queued.decrementAndGet();
            send(call, 1).subscribe().with(delivered -> finished(), error -> finished());
        }
    }

    private void finished() {
        inFlight.decrementAndGet();
        drain();
    }

    private Uni<Boolean> send(Call call, int attempt) {
        // Encoded once: the signature covers exactly the bytes every attempt sends.
        return send(call, Buffer.newInstance(call.body().toBuffer()), attempt);
    }

    private Uni<Boolean> send(Call call, Buffer body, int attempt) {
        return sender.send(call.url(), body).chain(outcome -> switch (outcome.kind()) {
            case DELIVERED -> {
                metrics.webhookCall("delivered");
                yield Uni.createFrom().item(true);
            }
            case REFUSED -> {
                // The URL's path and query may hold a receiver's token: the reason names only host and address.
                Log.warnf("webhook %s for job %s refused, not sent: %s", call.body().getString("event"),
                        call.body().getString("job_id"), outcome.detail());
                metrics.webhookCall("refused");
                yield Uni.createFrom().item(false);
            }
            case FAILED -> retry(call, body, attempt, outcome.detail());
        });
    }

    private Uni<Boolean> retry(Call call, Buffer body, int attempt, String failure) {
        if (attempt >= config.attempts()) {
            metrics.webhookCall("failed");
            Log.warnf("webhook %s for job %s not delivered after %d attempts (last: %s)",
                    call.body().getString("event"), call.body().getString("job_id"), attempt, failure);
            return Uni.createFrom().item(false);
        }
        Duration wait = config.backoff().multipliedBy(1L << (attempt - 1));
        return Uni.createFrom().item(false).onItem().delayIt().by(wait).chain(() -> send(call, body, attempt + 1));
    }
}
