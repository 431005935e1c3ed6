package io.rxon.orchestrator.console;

import static org.assertj.core.api.Assertions.assertThat;


import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.Json;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A headless Chromium for the console tests: the system's {@code chromium} and
 * {@code chromedriver} (Debian packages; {@code .ci/run} installs them), never a downloaded
 * browser. Every URL the browser requests is recorded from its network log, so a test can prove
 * that no credential ever travelled in one.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = setting("rxon.test.chromium", "RXON_TEST_CHROMIUM", "/usr/bin/chromium");
    static final String CHROMEDRIVER = setting("rxon.test.chromedriver", "RXON_TEST_CHROMEDRIVER",
            "/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    final ChromeDriver driver;
    private final Path profile;
    private final List<String> requestedUrls = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts Chromium; fails (never skips) when it is not installed, saying how to install it. */
    static Browser start() throws IOException {
        assertThat(new File(CHROMIUM).canExecute()).as("Chromium is needed by the console's browser tests: install it with"
                + " 'apt-get install -y chromium chromium-driver' (or set -Drxon.test.chromium=<path> or RXON_TEST_CHROMIUM)").isTrue();
        assertThat(new File(CHROMEDRIVER).canExecute()).as("chromedriver is needed by the console's browser tests: install it"
                + " with 'apt-get install -y chromium-driver' (or set -Drxon.test.chromedriver=<path> or RXON_TEST_CHROMEDRIVER)").isTrue();
        // Selenium Manager would otherwise look for (and download) a driver of its own.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        System.setProperty("SE_OFFLINE", "true");
        Path profile = Files.createTempDirectory("rxon-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    /** A system property, else an environment variable (CI runners with another Chrome), else Debian's path. */
    private static String setting(String property, String variable, String debianPath) {
        String value = System.getProperty(property, System.getenv(variable));
        return value == null || value.isBlank() ? debianPath : value;
    }

    /** Every URL the browser has requested so far (pages, scripts, fetches, event streams, redirects). */
    List<String> requestedUrls() {
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = Json.tree(entry.getMessage().getBytes()).path("message");
            if ("Network.requestWillBeSent".equals(message.path("method").asText())) {
                requestedUrls.add(message.path("params").path("request").path("url").asText());
            }
        }
        return List.copyOf(requestedUrls);
    }

    /** Keeps a screenshot of the current page under target/console-screenshots as a test artefact. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // A left-over temporary profile is harmless.
        }
    }
}
