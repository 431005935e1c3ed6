package io.rxon.worker.blob;

import io.rxon.common.blob.BlobKeys;
import io.rxon.common.blob.BlobUri;
import io.rxon.common.blob.VerifyingInputStream;
import io.rxon.common.error.RxonException;
import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.FileMetadata;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.worker.skill.SkillBlobs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One task's blob access ({@link SkillBlobs}): verified reads of its inputs, writes under
 * {@code jobs/<job_id>/<task_id>/}, and a private directory removed when the task ends.
 */
public final class TaskFiles implements SkillBlobs, AutoCloseable {

    private final TaskBlobs blobs;
    private final TaskPayload task;
    private final Path directory;
    /** Metadata that came with the task, by URI. */
    private final Map<String, FileMetadata> expected = new ConcurrentHashMap<>();
    /** What this task wrote, by URI. */
    private final Map<String, FileMetadata> written = new ConcurrentHashMap<>();
    private volatile boolean created;

    TaskFiles(TaskBlobs blobs, TaskPayload task, Path directory) {
        this.blobs = blobs;
        this.task = task;
        this.directory = directory;
        if (task.paramsMetadata() != null) {
            task.paramsMetadata().values().forEach(metadata -> expected.putIfAbsent(metadata.uri(), metadata));
        }
    }

    @Override
    public InputStream open(String uri) {
        InputStream in = await(blobs.store().open(BlobUri.parse(uri)));
        FileMetadata metadata = expected.get(uri);
        return metadata == null ? in : VerifyingInputStream.of(in, metadata);
    }

    @Override
    public Path download(String uri) {
        BlobUri source = BlobUri.parse(uri);
        Path target = uniqueFile(workDir().resolve("inputs"), BlobKeys.safeName(source.key()));
        if (!await(blobs.store().download(source, target))) {
            throw new RxonException("no blob at " + uri, ErrorCode.DEPENDENCY_MISSING_ERROR);
        }
        FileMetadata metadata = expected.get(uri);
        if (metadata != null) {
            try (InputStream in = new VerifyingInputStream(Files.newInputStream(target), metadata, null)) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return target;
    }

    @Override
    public FileMetadata upload(String name, InputStream content, long size) {
        FileMetadata metadata = await(blobs.store().upload(content, size, target(name)));
        written.put(metadata.uri(), metadata);
        return metadata;
    }

    @Override
    public FileMetadata upload(String name, Path file) {
        FileMetadata metadata = await(blobs.store().upload(file, target(name)));
        written.put(metadata.uri(), metadata);
        return metadata;
    }

    @Override
    public Path workDir() {
        if (!created) {
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the task directory " + directory, e);
            }
            created = true;
        }
        return directory;
    }

    /** The metadata of a blob this task wrote. */
    Optional<FileMetadata> written(String uri) {
        return Optional.ofNullable(written.get(uri));
    }

    /** Uploads {@code value} when it is the path of a file in the task's directory (a result output). */
    Optional<FileMetadata> uploadIfOutput(String value) {
        if (!created || value.isEmpty() || value.startsWith("s3://")) {
            return Optional.empty();
        }
        Path file;
        try {
            file = Path.of(value).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (!file.startsWith(directory) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(upload(directory.relativize(file).toString().replace('/', '_'), file));
    }

    private BlobUri target(String name) {
        return BlobKeys.output(blobs.bucket(), task.jobId(), task.taskId(), name);
    }

    private static Path uniqueFile(Path parent, String name) {
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path candidate = parent.resolve(name);
        for (int i = 1; Files.exists(candidate); i++) {
            candidate = parent.resolve(i + "-" + name);
        }
        return candidate;
    }

    /** Waits for a store call; its failure is rethrown as the RXON exception it carries. */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Removes the task's directory and everything in it. */
    @Override
    public void close() {
        if (!created) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover task directory is removed with the next task of the same id, or by hand
        }
    }
}
