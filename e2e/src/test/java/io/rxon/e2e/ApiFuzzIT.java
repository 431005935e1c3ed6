package io.rxon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rxon.e2e.fuzz.Finding;
import io.rxon.e2e.fuzz.FuzzRun;
import io.rxon.e2e.fuzz.Probe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded fuzz run against the packaged orchestrator on embedded defaults: a few thousand
 * mutated requests (NUL and lone surrogates in every string position, huge and deeply nested
 * values, wrong types, malformed JSON, wrong content types, ill-formed ids in paths and queries)
 * at every client and worker endpoint, at the worker socket (upgrades, frames, push dispatch
 * credits and results) and as raw bytes on a plain socket; worker messages are validly signed
 * after the mutation so that their content reaches validation and storage. Real jobs are submitted and claimed along the way so that
 * results and events carry ids that exist, and now and then valid requests on one task or one new
 * worker are released together (the interleaving of those is the one thing the seed does not fix).
 *
 * <p>It holds: no answer of 500 or more (the documented 501 of the blob endpoints without S3
 * aside), a 4xx for input the contract rejects, readiness up throughout, exactly the accepted
 * submissions stored, no job left running (also right after a result was refused), no ERROR in
 * the orchestrator's log. Replay a run with {@code -Drxon.fuzz.seed=<seed>} (printed at the
 * start); {@code -Drxon.fuzz.requests} changes its length. Every wrong answer is collected, grouped
 * by class and reported together at the end with the request that caused it, also in
 * {@code target/fuzz-findings.txt}.
 */
class ApiFuzzIT {

    private static final long DEFAULT_SEED = 20261204L;
    private static final String CLIENT_TOKEN = "fuzz-client-token-0123456789";
    private static final String WORKER_TOKEN = "fuzz-worker-token-0123456789";

    @TempDir
    Path dataDir;

    @Test
    void shouldAnswerEveryMutatedRequestBelow500AndStoreExactlyTheAcceptedJobs() throws Exception {
        long seed = Long.getLong("rxon.fuzz.seed", DEFAULT_SEED);
        int requests = Integer.getInteger("rxon.fuzz.requests", 3000);
        System.out.println("ApiFuzzIT seed " + seed + " (-Drxon.fuzz.seed=" + seed + " replays it), " + requests
                + " requests");
        int port = ManagedProcess.freePort();
        String base = "http://127.0.0.1:" + port;
        try (ManagedProcess orchestrator = start(port)) {
            // given a fresh orchestrator and its stored jobs
            FuzzRun run = new FuzzRun(base, CLIENT_TOKEN, WORKER_TOKEN, seed);
            int before = run.table().statuses().size();
            long started = System.nanoTime();

            // when the fuzzer has sent its requests and a clean result for every task it claimed
            runWithDeepStack(() -> run.run(requests));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.println("ApiFuzzIT sent " + run.http().sent() + " requests in " + took.toSeconds() + " s, "
                    + run.acceptedSubmissions() + " submissions accepted, " + run.refusedUnstorable()
                    + " results with a NUL refused (their jobs checked), " + run.pushedTasks() + " tasks pushed\n"
                    + run.http().timings());

            // then the orchestrator is still ready, holds exactly the accepted jobs, none left running
            Map<String, String> after = run.table().statuses();
            List<Finding> findings = new ArrayList<>(run.http().findings());
            after.forEach((jobId, status) -> {
                if ("running".equals(status)) {
                    findings.add(new Finding("job left running after the run", new Probe("jobs", "after the run",
                            "GET", base + "/api/v1/jobs/" + jobId, Map.of(), new byte[0], Probe.Expect.NO_SERVER_ERROR),
                            200, run.table().job(jobId).toString()));
                }
            });
            findings.addAll(loggedErrors(orchestrator.log(), base));
            String report = report(findings);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "fuzz-findings.txt"), "seed " + seed + "\n" + report);
            System.out.println(report);
            assertThat(after.size() - before).as("stored jobs added by the run").isEqualTo(run.acceptedSubmissions());
            assertThat(run.readinessChecks()).isGreaterThan(requests / 200);
            if (!findings.isEmpty()) {
                fail("wrong answers (seed " + seed + "):\n" + report);
            }
            assertThat(took).as("the run's duration").isLessThan(Duration.ofSeconds(90));
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Jackson writes and copies trees recursively: thousands of nesting levels need a deep stack. */
    private static void runWithDeepStack(Step step) throws Exception {
        Exception[] failure = new Exception[1];
        Thread thread = new Thread(null, () -> {
            try {
                step.run();
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "fuzz", 512L << 20);
        thread.start();
        thread.join();
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private ManagedProcess start(int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RXON_DATA_DIR", dataDir.toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("RXON_CLIENT_TOKEN", CLIENT_TOKEN);
        env.put("RXON_WORKER_TOKEN", WORKER_TOKEN);
        // thousands of requests from one identity in a minute are the point here, not abuse
        env.put("RXON_ORCHESTRATOR_RATE_LIMITS_ENABLED", "false");
        // a poll that finds nothing never parks for long, and no lease expires during the run
        env.put("RXON_ORCHESTRATOR_TIMING_POLL_TIMEOUT", "1s");
        env.put("RXON_ORCHESTRATOR_TIMING_LIVENESS_TIMEOUT", "300s");
        return ManagedProcess.start("orchestrator", RxonHome.orchestratorJar(), port, env, dataDir.resolve("logs"))
                .awaitReady(Duration.ofSeconds(120));
    }

    /** ERROR lines, and lines naming a database encoding failure, from the orchestrator's log. */
    private static List<Finding> loggedErrors(Path log, String base) throws IOException {
        List<Finding> findings = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.contains(" ERROR ") || line.contains("invalid byte sequence")) {
                findings.add(new Finding("logged", new Probe("orchestrator log", logClass(line), "LOG", base,
                        Map.of(), new byte[0], Probe.Expect.NO_SERVER_ERROR), 0, line));
            }
        }
        return findings;
    }

    private static final Pattern LOGGER = Pattern.compile("\\[([\\w.]+)\\]");
    private static final Pattern EXCEPTION = Pattern.compile("([a-z]\\w*\\.)+[A-Z]\\w*(Exception|Error)");
    private static final Pattern DATABASE_ERROR = Pattern.compile("ERROR: ([^(\\[\\]]+)");

    /** A log line's class: its logger, the exception it names and the database's complaint, without ids. */
    private static String logClass(String line) {
        StringBuilder out = new StringBuilder(line.contains(" ERROR ") ? "ERROR" : "INFO");
        for (Pattern pattern : List.of(LOGGER, EXCEPTION, DATABASE_ERROR)) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.find()) {
                out.append(' ').append(matcher.group(pattern == EXCEPTION ? 0 : 1).trim());
            }
        }
        return out.toString();
    }

    /** One line per failure class with its count, then one full example of each. */
    private static String report(List<Finding> findings) {
        Map<String, List<Finding>> groups = new LinkedHashMap<>();
        findings.forEach(finding -> groups.computeIfAbsent(finding.group(), group -> new ArrayList<>()).add(finding));
        StringBuilder out = new StringBuilder(findings.size() + " wrong answers in " + groups.size() + " classes\n");
        groups.forEach((group, members) -> out.append(members.size()).append(" x ").append(group).append('\n'));
        out.append("\nexamples:\n");
        groups.values().forEach(members -> out.append(members.get(0)).append('\n'));
        return out.toString();
    }
}
