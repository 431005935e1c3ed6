package io.rxon.orchestrator.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StalePostmasterGuardTest {

    @TempDir
    Path dataDirectory;

    @Test
    void shouldReadThePidFromTheFirstLineOfPostmasterPid() throws IOException {
        // given
        Path pidFile = Files.writeString(dataDirectory.resolve("postmaster.pid"), "4242\n/data\n1700000000\n5432\n");

        // when / then
        assertThat(StalePostmasterGuard.readPid(pidFile)).contains(4242L);
    }

    @Test
    void shouldTreatMissingOrGarbledPidFilesAsNothingToStop() throws IOException {
        assertThat(StalePostmasterGuard.readPid(dataDirectory.resolve("postmaster.pid"))).isEmpty();
        assertThat(StalePostmasterGuard.readPid(Files.writeString(dataDirectory.resolve("garbled"), "x\n")))
                .isEmpty();
    }

    @Test
    void shouldNotMistakeAnotherProgramForAPostmaster() {
        assertThat(StalePostmasterGuard.isPostmasterOf(ProcessHandle.current(), dataDirectory)).isFalse();
    }

    @Test
    void shouldRemoveAPidFileOfADeadProcessAndLeaveEverythingElse() throws Exception {
        // given
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path pidFile = Files.writeString(dataDirectory.resolve("postmaster.pid"), finished.pid() + "\n");
        Path config = Files.writeString(dataDirectory.resolve("postgresql.conf"), "");

        // when
        new StalePostmasterGuard(Duration.ofSeconds(1)).accept(dataDirectory.toFile());

        // then
        assertThat(pidFile).doesNotExist();
        assertThat(config).exists();
    }
}
