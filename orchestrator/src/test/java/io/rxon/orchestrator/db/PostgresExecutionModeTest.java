package io.rxon.orchestrator.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresExecutionModeTest {

    @Test
    void shouldRunBinariesDirectlyWhenNotRoot() {
        assertThat(PostgresExecutionMode.decide(false, false, () -> "unused"))
                .isEqualTo(PostgresExecutionMode.DIRECT);
    }

    @Test
    void shouldRunBinariesInAUserNamespaceWhenRootAndUnshareWorks() {
        assertThat(PostgresExecutionMode.decide(true, true, () -> "unused"))
                .isEqualTo(PostgresExecutionMode.USER_NAMESPACE);
    }

    @Test
    void shouldExplainWhatToDoWhenRootAndUnshareDoesNotWork() {
        // given
        String diagnosis = "'unshare -U id -u' exited with 1: unshare failed: Operation not permitted";

        // when / then
        assertThatThrownBy(() -> PostgresExecutionMode.decide(true, false, () -> diagnosis))
                .isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessageContaining("runs as root")
                .hasMessageContaining(diagnosis)
                .hasMessageContaining("normal user")
                .hasMessageContaining("user.max_user_namespaces")
                .hasMessageContaining("QUARKUS_DATASOURCE_REACTIVE_URL");
    }

    @Test
    void shouldBeUsableOnThisMachine() {
        // The build machines run as root with working user namespaces; developer laptops as a normal user.
        assertThat(PostgresExecutionMode.detect())
                .isEqualTo(PostgresExecutionMode.isRoot()
                        ? PostgresExecutionMode.USER_NAMESPACE
                        : PostgresExecutionMode.DIRECT);
    }
}
