package io.rxon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.blob.s3.S3Clients;
import io.rxon.common.json.Json;
import io.rxon.e2e.ClientApi;
import io.rxon.e2e.ManagedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Issue 8 item 4, the blob path: a large blob uploaded through rxon (presigned PUT from
 * {@code POST /api/v1/blobs}, then a {@code sha256} job on a real packaged worker process, which
 * streams the blob from S3 and hashes it) against the raw S3 PUT and GET of the same bytes to the
 * same s3proxy with the AWS SDK v2 (the services' own client settings). The digest the worker
 * returns must equal the one computed here, or the run fails.
 */
final class BlobPath {

    static final String LONG_POLL = "longpoll";
    static final String PUSH = "push";

    private static final double MB = 1024.0 * 1024.0;
    private static final Set<String> TERMINAL = Set.of("finished", "failed", "cancelled", "quarantined");
    /** Headers the JDK client sets itself and refuses to take from the caller. */
    private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Target target;
    private final S3AsyncClient raw;
    private final Duration timeout;

    private BlobPath(Target target, S3AsyncClient raw, Duration timeout) {
        this.target = target;
        this.raw = raw;
        this.timeout = timeout;
    }

    /** One run: fresh s3proxy, orchestrator and worker; a warm-up of both paths, then the measured transfers. */
    static Map<String, Object> run(Options options, String mode, Path dir, Path jfr) {
        int sizeMb = options.integer("size-mb", 256);
        Path blob = BlobFile.ensure(dir.resolveSibling("blob-" + sizeMb + "mb.bin"), sizeMb);
        Path warmBlob = BlobFile.ensure(dir.resolveSibling("blob-" + options.integer("warmup-mb", 32) + "mb.bin"),
                options.integer("warmup-mb", 32));
        long hashStart = System.nanoTime();
        Digest expected = Digest.of(blob);
        double localHashSeconds = seconds(hashStart);
        Digest warmExpected = Digest.of(warmBlob);

        try (S3Server s3 = S3Server.start(dir.resolveSibling(dir.getFileName() + "-s3"));
                Target target = Target.start(dir, s3.environment());
                S3AsyncClient raw = S3Clients.asyncClient(s3.settings())) {
            Map<String, String> workerEnv = new HashMap<>(s3.environment());
            workerEnv.put("RXON_TASK_DIR", dir.resolve("worker-tasks").toString());
            workerEnv.put("RXON_WORKER_CONCURRENCY", "1");
            if (PUSH.equals(mode)) {
                workerEnv.put("RXON_ORCHESTRATOR_URL", target.socketUrl());
            } else if (!LONG_POLL.equals(mode)) {
                throw new IllegalArgumentException("unknown blob mode " + mode + " (longpoll or push)");
            }
            ManagedProcess worker = target.startWorker("bench-blob-worker", workerEnv);
            BlobPath path = new BlobPath(target, raw, options.seconds("timeout", 600));

            Bench.log("  warm-up: %d MB raw and through rxon", (long) (Files.size(warmBlob) / MB));
            path.rawPut(warmBlob, "raw/warmup.bin");
            path.rawGet("raw/warmup.bin", warmExpected);
            path.throughRxon(warmBlob, warmExpected);

            String load0 = Report.loadAverage();
            Bench.log("  raw S3 PUT and GET of %d MB", sizeMb);
            double rawPut = path.rawPut(blob, "raw/blob.bin");
            double rawGet = path.rawGet("raw/blob.bin", expected);

            target.gc();
            long heapBefore = target.heapUsedBytes();
            long rssBefore = target.rssBytes();
            long workerRssBefore = Target.rssBytes(worker.pid());
            double orchCpu = Target.cpuSeconds(target.pid());
            double workerCpu = Target.cpuSeconds(worker.pid());
            double benchCpu = Target.cpuSeconds(ProcessHandle.current().pid());
            if (jfr != null) {
                target.startJfr(jfr);
            }
            Bench.log("  through rxon: presigned upload, sha256 job on the worker");
            Rxon rxon = path.throughRxon(blob, expected);
            if (jfr != null) {
                target.stopJfr();
            }
            orchCpu = Target.cpuSeconds(target.pid()) - orchCpu;
            workerCpu = Target.cpuSeconds(worker.pid()) - workerCpu;
            benchCpu = Target.cpuSeconds(ProcessHandle.current().pid()) - benchCpu;
            long heapAfter = target.heapUsedBytes();

            double size = Files.size(blob) / MB;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mode", mode);
            row.put("size_mb", size);
            row.put("raw_put_s", round3(rawPut));
            row.put("raw_put_mb_s", Target.round2(size / rawPut));
            row.put("raw_get_sha256_s", round3(rawGet));
            row.put("raw_get_mb_s", Target.round2(size / rawGet));
            row.put("raw_total_s", round3(rawPut + rawGet));
            row.put("presign_ms", Target.round2(rxon.presign * 1000));
            row.put("upload_s", round3(rxon.upload));
            row.put("upload_mb_s", Target.round2(size / rxon.upload));
            row.put("submit_ms", Target.round2(rxon.submit * 1000));
            row.put("job_s", round3(rxon.job));
            row.put("job_mb_s", Target.round2(size / rxon.job));
            row.put("rxon_total_s", round3(rxon.total));
            row.put("rxon_total_mb_s", Target.round2(size / rxon.total));
            row.put("rxon_over_raw", Target.round2(rxon.total / (rawPut + rawGet)));
            row.put("local_sha256_s", round3(localHashSeconds));
            row.put("sha256_match", true);
            row.put("orch_heap_mb_before", mb(heapBefore));
            row.put("orch_heap_mb_after", mb(heapAfter));
            row.put("orch_rss_mb_before", mb(rssBefore));
            row.put("orch_rss_mb_after", mb(target.rssBytes()));
            row.put("worker_rss_mb_before", mb(workerRssBefore));
            row.put("worker_rss_mb_after", mb(Target.rssBytes(worker.pid())));
            row.put("cpu_s_orchestrator", Target.round2(orchCpu));
            row.put("cpu_s_worker", Target.round2(workerCpu));
            row.put("cpu_s_bench_client_and_s3proxy", Target.round2(benchCpu));
            row.put("load_avg_before", Double.valueOf(load0));
            row.put("sha256", expected.hex);
            row.put("job_id", rxon.jobId);
            return row;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw PUT of the file (single request, as the presigned upload); seconds. */
    private double rawPut(Path file, String key) throws IOException {
        long size = Files.size(file);
        long start = System.nanoTime();
        raw.putObject(put -> put.bucket(S3Server.BUCKET).key(key).contentLength(size),
                AsyncRequestBody.fromFile(file)).join();
        return seconds(start);
    }

    /** The raw GET, streamed into SHA-256 as the worker's skill does; seconds. Fails on another digest. */
    private double rawGet(String key, Digest expected) throws IOException {
        long start = System.nanoTime();
        Digest got;
        try (InputStream in = raw.getObject(get -> get.bucket(S3Server.BUCKET).key(key),
                AsyncResponseTransformer.toBlockingInputStream()).join()) {
            got = Digest.of(in);
        }
        double seconds = seconds(start);
        expected.require(got.hex, "raw GET of " + key);
        return seconds;
    }

    /** Seconds of each step of the rxon path, and the whole of it as the client waits for it. */
    private record Rxon(double presign, double upload, double submit, double job, double total, String jobId) {}

    private Rxon throughRxon(Path file, Digest expected) throws IOException, InterruptedException {
        long size = Files.size(file);
        long start = System.nanoTime();
        JsonNode ticket = presign(file.getFileName().toString(), size);
        double presign = seconds(start);

        long uploadStart = System.nanoTime();
        upload(ticket, file);
        double upload = seconds(uploadStart);

        long submitStart = System.nanoTime();
        ClientApi client = target.client();
        String jobId = client.submit(Map.of("type", "sha256", "params", Map.of("uri", ticket.get("uri").asText())));
        double submit = seconds(submitStart);
        JsonNode job = awaitEnd(client, jobId);
        double total = seconds(start);
        double jobSeconds = seconds(submitStart);
        if (!"finished".equals(job.path("status").asText())) {
            throw new IllegalStateException("sha256 job " + jobId + " ended " + job);
        }
        expected.require(job.path("result").path("sha256").asText(), "the worker's sha256 of job " + jobId);
        if (job.path("result").path("size").asLong() != size) {
            throw new IllegalStateException("the worker hashed " + job.path("result").path("size") + " bytes of "
                    + size + " in job " + jobId);
        }
        return new Rxon(presign, upload, submit, jobSeconds, total, jobId);
    }

    /** {@code POST /api/v1/blobs} with name, size and type: the presigned upload ticket. */
    private JsonNode presign(String filename, long size) throws IOException, InterruptedException {
        byte[] body = Json.write(Map.of("filename", filename, "size", size, "content_type", "application/octet-stream"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.url() + "/api/v1/blobs"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + target.clientToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /api/v1/blobs: HTTP " + response.statusCode() + " " + response.body());
        }
        return Json.tree(response.body().getBytes(StandardCharsets.UTF_8));
    }

    /** The PUT to the presigned URL with exactly the ticket's headers (the signature covers them). */
    private void upload(JsonNode ticket, Path file) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ticket.get("upload_url").asText()))
                .timeout(timeout)
                .method(ticket.path("method").asText("PUT"), HttpRequest.BodyPublishers.ofFile(file));
        for (Iterator<Map.Entry<String, JsonNode>> headers = ticket.path("headers").fields(); headers.hasNext(); ) {
            Map.Entry<String, JsonNode> header = headers.next();
            if (!RESTRICTED.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                request.header(header.getKey(), header.getValue().asText());
            }
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("presigned PUT: HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** Polls every 20 ms (a 256 MB job takes seconds, so the poll adds at most 2 % to it). */
    private JsonNode awaitEnd(ClientApi client, String jobId) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = client.job(jobId);
            if (TERMINAL.contains(job.path("status").asText())) {
                return job;
            }
            Bench.sleep(Duration.ofMillis(20));
        }
        throw new IllegalStateException("job " + jobId + " did not end within " + timeout);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static double mb(long bytes) {
        return Target.round2(bytes / MB);
    }

    /** A SHA-256 and the number of bytes it covers. */
    private record Digest(String hex, long size) {

        static Digest of(Path file) {
            try (InputStream in = Files.newInputStream(file)) {
                return of(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Digest of(InputStream in) throws IOException {
            MessageDigest sha256;
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            byte[] buffer = new byte[64 * 1024];
            long size = 0;
            for (int read; (read = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, read);
                size += read;
            }
            return new Digest(HexFormat.of().formatHex(sha256.digest()), size);
        }

        void require(String actual, String what) {
            if (!hex.equals(actual)) {
                throw new IllegalStateException(what + " is " + actual + ", expected " + hex);
            }
        }
    }

    /** The blob: pseudo-random bytes from a fixed seed (incompressible, the same in every run), made once. */
    private static final class BlobFile {

        static Path ensure(Path file, int sizeMb) {
            long size = sizeMb * 1024L * 1024L;
            try {
                if (Files.isRegularFile(file) && Files.size(file) == size) {
                    return file;
                }
                Files.createDirectories(file.getParent());
                SplittableRandom random = new SplittableRandom(sizeMb);
                byte[] chunk = new byte[1024 * 1024];
                try (OutputStream out = Files.newOutputStream(file)) {
                    for (int i = 0; i < sizeMb; i++) {
                        for (int j = 0; j < chunk.length; j += 8) {
                            long bits = random.nextLong();
                            for (int k = 0; k < 8; k++) {
                                chunk[j + k] = (byte) (bits >>> (8 * k));
                            }
                        }
                        out.write(chunk);
                    }
                }
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
