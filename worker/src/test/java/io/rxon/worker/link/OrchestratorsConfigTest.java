package io.rxon.worker.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrchestratorsConfigTest {

    @Test
    void shouldReadEntriesWithDefaultsAndSortThemByPriorityThenUrl() {
        // given the reference's format, with optional fields left out
        String json = """
                [{"url": "http://backup:8080", "priority": 20, "weight": 2, "token": "t-backup"},
                 {"url": "ws://main-b:8080"},
                 {"url": "http://main-a:8080", "oidc": {"token_url": "https://kc/token", "client_id": "w",
                   "client_secret": "s"}}]
                """;

        // when it is parsed
        List<OrchestratorEntry> entries = OrchestratorsConfig.parse(json);

        // then defaults are priority 10 and weight 1, and the order is (priority, url)
        assertThat(entries).extracting(OrchestratorEntry::url)
                .containsExactly("http://main-a:8080", "ws://main-b:8080", "http://backup:8080");
        assertThat(entries.get(1).priority()).isEqualTo(10);
        assertThat(entries.get(1).weight()).isEqualTo(1);
        assertThat(entries.get(1).token()).isEmpty();
        assertThat(entries.get(2).token()).contains("t-backup");
        assertThat(entries.get(2).weight()).isEqualTo(2);
        assertThat(entries.get(0).oidc()).contains(new OrchestratorEntry.Oidc(URI.create("https://kc/token"), "w",
                "s"));
    }

    @Test
    void shouldFallBackToTheSingleUrlWhenTheListIsUnsetOrBlank() {
        // when no list is configured
        List<OrchestratorEntry> unset = OrchestratorsConfig.resolve(Optional.empty(), "http://one:8080");
        List<OrchestratorEntry> blank = OrchestratorsConfig.resolve(Optional.of("  "), "http://one:8080");

        // then the classic RXON_ORCHESTRATOR_URL is the only orchestrator
        assertThat(unset).containsExactly(OrchestratorEntry.of("http://one:8080"));
        assertThat(blank).isEqualTo(unset);
    }

    @Test
    void shouldRefuseMistakesWithTheEntryThatHasThem() {
        assertThatThrownBy(() -> OrchestratorsConfig.parse("{\"url\": \"http://a\"}"))
                .hasMessageContaining("non-empty JSON array");
        assertThatThrownBy(() -> OrchestratorsConfig.parse("[]")).hasMessageContaining("non-empty JSON array");
        assertThatThrownBy(() -> OrchestratorsConfig.parse("[{\"url\": \"http://a\"")).hasMessageContaining(
                "not valid JSON");
        assertThatThrownBy(() -> OrchestratorsConfig.parse("[{\"priority\": 1}]"))
                .hasMessageContaining("RXON_ORCHESTRATORS[0].url is required");
        assertThatThrownBy(() -> OrchestratorsConfig.parse("[{\"url\": \"http://a\"}, {\"url\": \"ftp://b\"}]"))
                .hasMessageContaining("RXON_ORCHESTRATORS[1].url must start with http://");
        assertThatThrownBy(() -> OrchestratorsConfig.parse("[{\"url\": \"http://a\", \"weight\": 0}]"))
                .hasMessageContaining("RXON_ORCHESTRATORS[0].weight must be at least 1");
        assertThatThrownBy(() -> OrchestratorsConfig.parse("[{\"url\": \"http://a\", \"priority\": \"high\"}]"))
                .hasMessageContaining("RXON_ORCHESTRATORS[0].priority must be an integer");
        assertThatThrownBy(() -> OrchestratorsConfig.parse("[{\"url\": \"http://a\", \"wieght\": 2}]"))
                .hasMessageContaining("unknown field \"wieght\"");
        assertThatThrownBy(() -> OrchestratorsConfig.parse("[{\"url\": \"http://a\"}, {\"url\": \"HTTP://A\"}]"))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> OrchestratorsConfig.parse(
                "[{\"url\": \"http://a\", \"token\": \"t\", \"oidc\": {\"token_url\": \"https://kc\", "
                        + "\"client_id\": \"c\", \"client_secret\": \"s\"}}]"))
                .hasMessageContaining("both a token and an oidc client");
        assertThatThrownBy(() -> OrchestratorsConfig.parse(
                "[{\"url\": \"http://a\", \"oidc\": {\"token_url\": \"https://kc\"}}]"))
                .hasMessageContaining("RXON_ORCHESTRATORS[0].oidc.client_id is required");
    }

    @Test
    void shouldAcceptTheModesInEitherSpelling() {
        assertThat(LinkMode.parse("round-robin")).isEqualTo(LinkMode.ROUND_ROBIN);
        assertThat(LinkMode.parse("ROUND_ROBIN")).isEqualTo(LinkMode.ROUND_ROBIN);
        assertThat(LinkMode.parse(" Waterfall ")).isEqualTo(LinkMode.WATERFALL);
        assertThat(LinkMode.parse("failover")).isEqualTo(LinkMode.FAILOVER);
        assertThatThrownBy(() -> LinkMode.parse("random")).hasMessageContaining("failover, round-robin, waterfall");
    }
}
