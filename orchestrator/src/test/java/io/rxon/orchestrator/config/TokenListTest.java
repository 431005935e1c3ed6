package io.rxon.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenListTest {

    @Test
    void shouldParseIdTokenPairsKeepingColonsInTokens() {
        assertThat(OrchestratorConfig.parsePairs(Optional.of(" a:t1 , b:t:2,,"), "X"))
                .containsExactly(Map.entry("a", "t1"), Map.entry("b", "t:2"));
        assertThat(OrchestratorConfig.parsePairs(Optional.empty(), "X")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"noseparator", ":token", "id:"})
    void shouldRefuseMalformedEntriesNamingTheVariable(String list) {
        assertThatThrownBy(() -> OrchestratorConfig.parsePairs(Optional.of(list), "RXON_CLIENTS"))
                .hasMessageContaining("RXON_CLIENTS");
    }
}
