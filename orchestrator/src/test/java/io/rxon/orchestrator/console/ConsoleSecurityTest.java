package io.rxon.orchestrator.console;

import static io.restassured.RestAssured.given;
import static io.rxon.orchestrator.testing.Fixtures.CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.OTHER_CLIENT_TOKEN;
import static io.rxon.orchestrator.testing.Fixtures.submit;
import static io.rxon.orchestrator.testing.Fixtures.uniqueSkill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rxon.orchestrator.security.ClientAuthenticator;
import io.rxon.orchestrator.testing.Fixtures;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The console's protections over plain HTTP: sessions, CSRF tokens, login CSRF and browser headers. */
@QuarkusTest
class ConsoleSecurityTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @Inject
    ConsoleSessions sessions;

    /** Logs in as a browser would: the form, its cookie, then the post. Returns the session cookie. */
    private static String logIn(String token) {
        Response form = given().redirects().follow(false).when().get("/console/login");
        String loginCsrf = csrf(form.asString());
        Response answer = given().redirects().follow(false)
                .cookie(ConsoleSessions.LOGIN_COOKIE, form.getCookie(ConsoleSessions.LOGIN_COOKIE))
                .formParam("token", token).formParam("csrf", loginCsrf)
                .when().post("/console/login");
        assertThat(answer.statusCode()).isEqualTo(303);
        return answer.getCookie(ConsoleSessions.COOKIE);
    }

    private static String csrf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertThat(matcher.find()).as("a CSRF field in the page").isTrue();
        return matcher.group(1);
    }

    @Test
    void shouldSendPagesWithoutASessionToTheLoginForm() {
        given().redirects().follow(false).when().get("/console/jobs")
                .then().statusCode(303).header("Location", endsWith("/console/login"));
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, "forged.c2lnbmF0dXJl")
                .when().get("/console/workers")
                .then().statusCode(303).header("Location", endsWith("/console/login"));
    }

    @Test
    void givenSessionsOpenedWithTokensNoLongerConfiguredWhenTheyAreUsedThenTheyGoToTheLoginForm() {
        // given: cookies this orchestrator signed before the default client's token was rotated and before a
        // client was removed, and a session opened with the default client's token of today
        long later = Instant.now().plus(Duration.ofHours(1)).toEpochMilli();
        String rotated = sessions.cookie(new ConsoleSession(ClientAuthenticator.DEFAULT_CLIENT_ID, true, true, later,
                ConsoleSessions.randomToken(), sessions.mark("the-default-clients-token-before-rotation")), false)
                .getValue();
        String removed = sessions.cookie(new ConsoleSession("a-removed-client", true, false, later,
                ConsoleSessions.randomToken(), sessions.mark("the-removed-clients-token")), false).getValue();
        String current = logIn(CLIENT_TOKEN);

        // when / then
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, rotated).when().get("/console/jobs")
                .then().statusCode(303).header("Location", endsWith("/console/login"));
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, removed).when().get("/console/jobs")
                .then().statusCode(303).header("Location", endsWith("/console/login"));
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, current).when().get("/console/jobs")
                .then().statusCode(200);
    }

    @Test
    void shouldRefuseALoginPostedWithoutTheFormsOwnCsrfToken() {
        given().redirects().follow(false).formParam("token", CLIENT_TOKEN).formParam("csrf", "guessed")
                .when().post("/console/login")
                .then().statusCode(403).body(containsString("expired"));
    }

    @Test
    void shouldIssueAnHttpOnlyStrictSessionCookieThatDoesNotContainTheToken() {
        Response form = given().redirects().follow(false).when().get("/console/login");
        Response answer = given().redirects().follow(false)
                .cookie(ConsoleSessions.LOGIN_COOKIE, form.getCookie(ConsoleSessions.LOGIN_COOKIE))
                .formParam("token", CLIENT_TOKEN).formParam("csrf", csrf(form.asString()))
                .when().post("/console/login");

        String setCookie = answer.getHeaders().getValues("Set-Cookie").stream()
                .filter(value -> value.startsWith(ConsoleSessions.COOKIE + "=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/console")
                .doesNotContain(CLIENT_TOKEN);
    }

    @Test
    void shouldRefuseACancelWhoseFormLacksTheSessionsCsrfToken() {
        // given a waiting job and its owner's session
        String jobId = submit(uniqueSkill("csrf"), Map.of());
        String session = logIn(CLIENT_TOKEN);

        // when the cancel is posted without, then with a wrong token
        given().cookie(ConsoleSessions.COOKIE, session).formParam("csrf", "")
                .when().post("/console/jobs/" + jobId + "/cancel").then().statusCode(403);
        given().cookie(ConsoleSessions.COOKIE, session).formParam("csrf", "not-the-token")
                .when().post("/console/jobs/" + jobId + "/cancel").then().statusCode(403);

        // then the job still waits; with the page's own token it is cancelled
        assertThat(Fixtures.job(jobId)).containsEntry("status", "waiting_for_worker");
        String token = csrf(given().cookie(ConsoleSessions.COOKIE, session).when().get("/console/jobs/" + jobId)
                .then().statusCode(200).extract().asString());
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, session).formParam("csrf", token)
                .when().post("/console/jobs/" + jobId + "/cancel").then().statusCode(303);
        assertThat(Fixtures.job(jobId)).containsEntry("status", "cancelled");
    }

    @Test
    void shouldHideAnotherClientsJobPageAndEventStream() {
        String jobId = submit(uniqueSkill("foreign"), Map.of());
        String other = logIn(OTHER_CLIENT_TOKEN);

        given().cookie(ConsoleSessions.COOKIE, other).when().get("/console/jobs/" + jobId).then().statusCode(404);
        given().cookie(ConsoleSessions.COOKIE, other).when().get("/console/jobs/" + jobId + "/events")
                .then().statusCode(404);
        given().when().get("/console/jobs/" + jobId + "/events").then().statusCode(401);
    }

    @Test
    void shouldLinkAJobsBlobsThroughPresignedUrlsForItsOwnerOnly() throws Exception {
        // given a blob the client uploaded and a job whose params refer to it
        byte[] content = "console blob".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> ticket = given().header("Authorization", "Bearer " + CLIENT_TOKEN)
                .contentType("application/json").body("{\"filename\":\"input.txt\",\"size\":" + content.length + "}")
                .when().post("/api/v1/blobs").then().statusCode(201).extract().as(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) ticket.get("headers");
        assertThat(Fixtures.putPresigned((String) ticket.get("upload_url"), headers, content)).isEqualTo(200);
        String uri = (String) ticket.get("uri");
        String jobId = submit(uniqueSkill("blob_link"), Map.of("params", Map.of("input", uri)));

        // when its owner opens the job's page and follows the blob's link
        String session = logIn(CLIENT_TOKEN);
        String page = given().cookie(ConsoleSessions.COOKIE, session).when().get("/console/jobs/" + jobId)
                .then().statusCode(200).extract().asString();
        String link = "/console/jobs/" + jobId + "/blob?uri=" + URLEncoder.encode(uri, StandardCharsets.UTF_8);
        assertThat(page).contains(link.replace("&", "&amp;"));
        String presigned = given().urlEncodingEnabled(false).redirects().follow(false).cookie(ConsoleSessions.COOKIE, session).when().get(link)
                .then().statusCode(303).extract().header("Location");

        // then the presigned URL serves the blob, and nobody else gets one
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(presigned)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(content);
        given().urlEncodingEnabled(false).redirects().follow(false).cookie(ConsoleSessions.COOKIE, logIn(OTHER_CLIENT_TOKEN))
                .when().get(link)
                .then().statusCode(404);
    }

    @Test
    void shouldPageThroughAFilteredListWithoutLosingOrRepeatingAJob() {
        // given one more job of a new type than a page holds
        String type = uniqueSkill("paged");
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            submitted.add(submit(type, Map.of()));
        }
        String session = logIn(CLIENT_TOKEN);

        // when the list is filtered by that type, then its next page followed
        String first = given().cookie(ConsoleSessions.COOKIE, session).queryParam("type", type)
                .queryParam("status", "waiting_for_worker").when().get("/console/jobs")
                .then().statusCode(200).extract().asString();
        Matcher next = Pattern.compile("id=\"next-page\" href=\"([^\"]+)\"").matcher(first);
        assertThat(next.find()).as("a link to the next page").isTrue();
        String second = given().urlEncodingEnabled(false).cookie(ConsoleSessions.COOKIE, session)
                .when().get(next.group(1).replace("&amp;", "&")).then().statusCode(200).extract().asString();

        // then the pages hold 25 and 1 jobs, each once (jobs created in the same millisecond make
        // "which one is last" a matter of their ids, so only the split is asserted)
        List<String> all = new ArrayList<>(jobIds(first));
        all.addAll(jobIds(second));
        assertThat(jobIds(first)).hasSize(25);
        assertThat(all).containsExactlyInAnyOrderElementsOf(submitted);
        assertThat(second).doesNotContain("next-page");
    }

    private static List<String> jobIds(String page) {
        Matcher rows = Pattern.compile("data-job=\"([^\"]+)\"").matcher(page);
        List<String> ids = new ArrayList<>();
        while (rows.find()) {
            ids.add(rows.group(1));
        }
        return ids;
    }

    @Test
    void shouldKeepWorkersForAdministrators() {
        given().cookie(ConsoleSessions.COOKIE, logIn(OTHER_CLIENT_TOKEN)).when().get("/console/workers")
                .then().statusCode(403).body(containsString("rxon-admin"));
        given().cookie(ConsoleSessions.COOKIE, logIn(OTHER_CLIENT_TOKEN)).when().get("/console/workers/live")
                .then().statusCode(403);
    }

    @Test
    void shouldServePagesThatAllowNoInlineScriptNorFraming() {
        given().cookie(ConsoleSessions.COOKIE, logIn(CLIENT_TOKEN)).when().get("/console/jobs")
                .then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("X-Frame-Options", equalTo("DENY"))
                .header("Cache-Control", equalTo("no-store"));
    }

    @Test
    void shouldAnswerABadFilterWithoutAServerError() {
        given().cookie(ConsoleSessions.COOKIE, logIn(CLIENT_TOKEN)).queryParam("status", "sleeping")
                .when().get("/console/jobs").then().statusCode(400);
        given().cookie(ConsoleSessions.COOKIE, logIn(CLIENT_TOKEN)).queryParam("cursor", "%%%")
                .when().get("/console/jobs").then().statusCode(400);
    }
}
