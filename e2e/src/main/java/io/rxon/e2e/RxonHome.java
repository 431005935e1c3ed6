package io.rxon.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's packaged applications are: {@code -Drxon.home}, else the current directory or its parent. */
public final class RxonHome {

    private RxonHome() {}

    public static Path root() {
        String configured = System.getProperty("rxon.home");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("orchestrator")) ? here : here.getParent();
    }

    public static Path orchestratorJar() {
        return root().resolve("orchestrator/target/quarkus-app/quarkus-run.jar");
    }

    public static Path workerJar() {
        return root().resolve("worker/target/quarkus-app/quarkus-run.jar");
    }
}
