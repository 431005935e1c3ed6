package io.rxon.orchestrator.console;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.OTHER_CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static io.rxon.orchestrator.testing.Fixtures.uniqueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.rxon.common.protocol.DeviceUsage;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.ResourcesUsage;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerEventPayload;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.common.transport.Transport;
import io.rxon.orchestrator.testing.Fixtures;
import io.rxon.orchestrator.testing.KeycloakTestResource;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (headless Chromium): log in with a client token, list, submit,
 * follow and cancel jobs, and watch a worker's telemetry, against this orchestrator and a worker
 * speaking the real protocol from the test. No credential may appear in any URL the browser asked for.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @TestHTTPResource("/")
    URL root;

    private Browser browser;

    @BeforeAll
    void startBrowser() throws IOException {
        browser = Browser.start();
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void startLoggedOut() {
        open("/console/login");
        browser.driver.manage().deleteAllCookies();
    }

    @AfterEach
    void noCredentialTravelledInAUrl() {
        assertThat(browser.requestedUrls()).isNotEmpty().noneMatch(url -> url.contains(CLIENT_TOKEN)
                || url.contains(OTHER_CLIENT_TOKEN) || url.contains("token="));
    }

    @Test
    void shouldRefuseAWrongTokenAndShowTheRightClientOnlyItsOwnJobs() {
        // given a job of this client and one of another client, of one new type
        String type = uniqueSkill("listed");
        String own = submit(type, Map.of("n", 1));
        String foreign = given().header("Authorization", "Bearer " + OTHER_CLIENT_TOKEN).contentType(ContentType.JSON)
                .body("{\"type\":\"" + type + "\"}").when().post("/api/v1/jobs").then().statusCode(202)
                .extract().path("job_id");

        // when a wrong token is tried first
        open("/console/jobs");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/login");
        logIn("not-a-client-token");

        // then the login is refused and no session exists
        assertThat(text(By.id("login-error"))).contains("not accepted");
        assertThat(browser.driver.manage().getCookieNamed(ConsoleSessions.COOKIE)).isNull();
        browser.screenshot("login-refused");

        // when the right token follows and the list is filtered by the type
        logIn(CLIENT_TOKEN);
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/jobs");
        Cookie session = browser.driver.manage().getCookieNamed(ConsoleSessions.COOKIE);
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getValue()).doesNotContain(CLIENT_TOKEN);
        assertThat((String) browser.driver.executeScript("return document.cookie")).doesNotContain("rxon_console");
        browser.driver.findElement(By.id("type")).sendKeys(type);
        click(By.id("filter"));

        // then only the client's own job is listed
        await().atMost(PATIENCE).ignoreExceptions().until(() -> !browser.driver.findElements(By.cssSelector("tr[data-job]")).isEmpty());
        assertThat(browser.driver.findElements(By.cssSelector("tr[data-job]")))
                .extracting(row -> row.getAttribute("data-job")).containsExactly(own);
        assertThat(browser.driver.getPageSource()).doesNotContain(foreign);
        browser.screenshot("jobs");

        // and the other client, logged in, cannot open it
        click(By.id("logout"));
        logIn(OTHER_CLIENT_TOKEN);
        open("/console/jobs/" + own);
        assertThat(browser.driver.getPageSource()).doesNotContain("\"n\"").contains("not found");
    }

    @Test
    void shouldSubmitAJobFromTheSkillFormAndFollowItsTimelineToItsEnd() {
        // given a worker whose skill declares an input schema
        String skill = uniqueSkill("console_form");
        String workerId = uniqueWorker("console-form");
        Transport worker = register(workerId, skill, null);
        logIn(CLIENT_TOKEN);

        // when the form built from the schema is filled in and submitted
        open("/console/submit");
        new Select(browser.driver.findElement(By.id("skill"))).selectByValue(skill);
        click(By.id("choose-skill"));
        browser.driver.findElement(By.id("param.text")).sendKeys("hello console");
        browser.driver.findElement(By.id("param.count")).clear();
        browser.driver.findElement(By.id("param.count")).sendKeys("3");
        browser.driver.findElement(By.id("param.loud")).click();
        new Select(browser.driver.findElement(By.id("param.mode"))).selectByValue("slow");
        browser.screenshot("submit");
        click(By.id("submit"));

        // then the job's page opens and its live timeline shows it created
        await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.driver.getCurrentUrl().matches(".*/console/jobs/[0-9a-f-]{36}$"));
        String jobId = browser.driver.getCurrentUrl().substring(browser.driver.getCurrentUrl().lastIndexOf('/') + 1);
        awaitTimeline("job_created");

        // when the worker takes the task, reports progress and finishes it
        TaskPayload task = worker.pollTask(Duration.ofSeconds(5), null, null).orElseThrow();
        assertThat(task.jobId()).isEqualTo(jobId);
        assertThat(task.params()).containsEntry("text", "hello console").containsEntry("count", 3)
                .containsEntry("loud", true).containsEntry("mode", "slow");
        long now = Instant.now().getEpochSecond();
        awaitTimeline("task_dispatched");
        worker.emitEvent(WorkerEventPayload.progress(UUID.randomUUID().toString(), workerId, task, 0.5, "half way",
                now));
        awaitTimeline("progress");
        browser.screenshot("job-running");
        worker.sendResult(TaskResult.success(task, workerId, Map.of("echo", "HELLO CONSOLE"), now));

        // then the timeline reaches its end live, and the page shows the result
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(text(By.id("result"))).contains("HELLO CONSOLE"));
        awaitTimeline("job_finished");
        assertThat(text(By.id("job-status"))).isEqualTo("finished");
        assertThat(browser.driver.findElements(By.cssSelector("#timeline li")))
                .extracting(item -> item.getAttribute("data-type"))
                .containsExactly("job_created", "task_dispatched", "progress", "job_finished");
        assertThat(text(By.id("attempts"))).contains(workerId).contains("succeeded");
        browser.screenshot("job-finished");
        worker.close();
    }

    @Test
    void shouldCancelAWaitingJobFromItsPage() {
        // given a job no worker serves
        String jobId = submit(uniqueSkill("console_cancel"), Map.of());
        logIn(CLIENT_TOKEN);
        open("/console/jobs/" + jobId);
        awaitTimeline("job_created");

        // when it is cancelled from its page
        click(By.id("cancel"));

        // then it is cancelled, in the page and for the API
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(text(By.id("job-status"))).isEqualTo("cancelled"));
        awaitTimeline("job_cancelled");
        assertThat(browser.driver.findElements(By.id("cancel"))).isEmpty();
        assertThat(Fixtures.job(jobId)).containsEntry("status", "cancelled");
    }

    @Test
    void shouldShowAWorkersSkillsDevicesAndLiveTelemetry() {
        // given a registered worker with a GPU
        String skill = uniqueSkill("console_gpu");
        String workerId = uniqueWorker("console-gpu");
        Transport worker = register(workerId, skill, Fixtures.gpu("RTX 4090", 24));
        logIn(CLIENT_TOKEN);
        open("/console/workers");
        WebElement row = browser.driver.findElement(By.cssSelector("tr[data-worker='" + workerId + "']"));
        assertThat(row.getText()).contains(skill).contains("gpu RTX 4090 #0").contains("vram_gb 24");

        // when its heartbeat reports load while the page is open
        worker.sendHeartbeat(new Heartbeat(workerId, "busy", new ResourcesUsage(42.5, 3.0,
                List.of(new DeviceUsage("gpu0", 77, null))), List.of(), null, null, null, null, null, null,
                Instant.now().getEpochSecond()));

        // then the page shows it without a reload
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(browser.driver.findElement(
                By.cssSelector("tr[data-worker='" + workerId + "'] [data-field='telemetry']")).getText())
                .isEqualTo("cpu 42.5 % · ram 3 GB · gpu0 77 %"));
        browser.screenshot("workers");

        // and the charts page draws the last hour
        open("/console/charts");
        assertThat(browser.driver.findElements(By.cssSelector("#queue-chart svg"))).hasSize(1);
        assertThat(browser.driver.findElements(By.cssSelector("#latency-chart svg"))).hasSize(1);
        browser.screenshot("charts");
        worker.close();
    }

    @Test
    void shouldLogInThroughTheKeycloakLoginPageAsAUserWhoSeesOnlyTheirOwnJobs() {
        // given a job of the static default client
        String type = uniqueSkill("keycloak_console");
        submit(type, Map.of());

        // when a Keycloak user logs in on Keycloak's own login page
        open("/console/login");
        click(By.id("keycloak-login"));
        await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.driver.findElement(By.id("username"))
                .isDisplayed());
        assertThat(browser.driver.getCurrentUrl()).startsWith(KeycloakTestResource.keycloak().realmUrl());
        browser.screenshot("keycloak-login");
        browser.driver.findElement(By.id("username")).sendKeys("console-user");
        browser.driver.findElement(By.id("password")).sendKeys("change-me-console-user-password");
        browser.driver.findElement(By.id("kc-login")).click();

        // then the console opens with the user's own session, not Keycloak's
        await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.driver.getCurrentUrl().endsWith("/console/jobs")
                && "oidc-user:console-user".equals(text(By.id("user"))));
        assertThat(browser.driver.manage().getCookieNamed(ConsoleSessions.COOKIE).isHttpOnly()).isTrue();
        assertThat(browser.driver.manage().getCookies()).extracting(Cookie::getName)
                .noneMatch(name -> name.startsWith("q_session"));

        // and the default client's job is not among the user's
        open("/console/jobs?type=" + type);
        assertThat(browser.driver.findElements(By.cssSelector("tr[data-job]"))).isEmpty();
    }

    private Transport register(String workerId, String skill, Resources resources) {
        Transport worker = Fixtures.transport(root, workerId);
        Map<String, Object> schema = Map.of("type", "object", "required", List.of("text"), "properties", Map.of(
                "text", Map.of("type", "string", "description", "what to echo"),
                "count", Map.of("type", "integer", "default", 1),
                "loud", Map.of("type", "boolean"),
                "mode", Map.of("type", "string", "enum", List.of("fast", "slow"))));
        SkillInfo info = new SkillInfo(skill, null, "Echoes its text", "1.0", schema, null, null, null, null, null);
        worker.register(new WorkerRegistration(workerId, null, List.of(info), null, null,
                resources == null ? new Resources(null, Map.of("cpu_cores", 4)) : resources, null, null,
                new WorkerCapabilities("console-host", null, null, null, null), null, null, null, null));
        return worker;
    }

    private void open(String path) {
        browser.driver.get(Fixtures.baseUrl(root) + path);
    }

    private void logIn(String token) {
        open("/console/login");
        browser.driver.findElement(By.id("token")).sendKeys(token);
        click(By.id("login"));
    }

    /**
     * Clicks something that loads a new page, and waits until it has. Chromium sometimes answers the
     * staleness probe of a node being detached at that very moment with a plain error ("Node with
     * given id does not belong to the document") instead of a stale reference: that is retried, and
     * the next probe sees the node gone.
     */
    private void click(By locator) {
        WebElement element = browser.driver.findElement(locator);
        element.click();
        new WebDriverWait(browser.driver, PATIENCE).ignoring(WebDriverException.class)
                .until(ExpectedConditions.stalenessOf(element));
    }

    private String text(By locator) {
        return browser.driver.findElement(locator).getText();
    }

    private void awaitTimeline(String type) {
        await().atMost(PATIENCE).ignoreExceptions().until(() -> !browser.driver.findElements(
                By.cssSelector("#timeline li[data-type='" + type + "']")).isEmpty());
    }
}
