package io.rxon.worker.blob;

import io.rxon.blob.s3.S3BlobStore;
import io.rxon.blob.s3.S3Settings;
import io.rxon.blob.s3.testing.S3TestServer;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.FileMetadata;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.worker.skill.builtin.Sha256Skill;
import io.rxon.worker.testing.SkillHarness;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;

/**
 * The worker side of {@link LargeBlobMemoryTest}, run in a JVM of its own with a small heap: the
 * built-in {@code sha256} skill on an S3 blob through the real invoker and blob handling. Prints one
 * line {@code RESULT <json>} with the result and the JVM's heap figures.
 *
 * <p>Arguments: endpoint, blob URI, size, ETag, task directory.
 */
public final class LargeBlobChild {

    private LargeBlobChild() {}

    public static void main(String[] args) throws Exception {
        S3Settings settings = S3Settings.of(URI.create(args[0]), S3TestServer.BUCKET, S3TestServer.ACCESS_KEY,
                S3TestServer.SECRET_KEY);
        String uri = args[1];
        FileMetadata metadata = new FileMetadata(uri, Long.parseLong(args[2]), args[3], null);
        // Quarkus jars are on this plain JVM's class path: their logging waits for a Quarkus start that never
        // comes and keeps every record meanwhile, so only warnings may be created here (in a real worker
        // Quarkus activates logging at start).
        org.jboss.logmanager.Logger.getLogger("").setLevel(Level.WARNING);
        TaskResult result;
        try (S3BlobStore store = new S3BlobStore(settings, Runnable::run);
                SkillHarness harness = new SkillHarness(new TaskBlobs(store, S3TestServer.BUCKET, true, 256 * 1024,
                        64L * 1024 * 1024, Path.of(args[4])), new Sha256Skill())) {
            TaskPayload task = new TaskPayload("job-large", "task-large", Sha256Skill.NAME, Map.of("uri", uri), null,
                    Map.of("uri", metadata), 0.0, null, null, null, null, null, null, 0, 0, null, null);
            result = harness.run(task);
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.gc();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", result.status());
        report.put("data", result.data());
        report.put("error", result.error());
        report.put("max_heap", Runtime.getRuntime().maxMemory());
        report.put("peak_heap", peak);
        report.put("heap_after_gc", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        System.out.println("RESULT " + Json.writeString(report));
        System.exit(0);
    }
}
