package io.rxon.orchestrator.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsoleSwitchTest {

    @ParameterizedTest
    @CsvSource({
        "false, /console, true",
        "false, /console/jobs, true",
        "false, /console/assets/console.js, true",
        "false, /consoles, false",
        "false, /api/v1/jobs, false",
        "true, /console/jobs, false"})
    void shouldHideOnlyTheConsoleAndOnlyWhenItIsSwitchedOff(boolean enabled, String path, boolean hidden) {
        assertThat(ConsoleSwitch.hides(enabled, path)).isEqualTo(hidden);
    }
}
