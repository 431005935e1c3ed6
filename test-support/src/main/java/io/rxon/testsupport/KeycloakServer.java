package io.rxon.testsupport;

import io.rxon.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak for tests, started from the {@code keycloak-quarkus-dist} zip that Maven
 * unpacked (no Docker): {@code kc.sh start-dev} on 127.0.0.1 with the project's realm
 * ({@code keycloak/rxon-realm.json}) imported. {@code RXON_TEST_KEYCLOAK_URL} (e.g.
 * {@code http://127.0.0.1:8180}) reuses a running one instead.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "rxon";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String baseUrl;
    private final int port;
    private Process process;

    private KeycloakServer(String baseUrl, int port, Process process) {
        this.baseUrl = baseUrl;
        this.port = port;
        this.process = process;
    }

    /** Starts Keycloak (or attaches to {@code RXON_TEST_KEYCLOAK_URL}) and waits until the realm answers. */
    public static KeycloakServer start() {
        String existing = System.getenv("RXON_TEST_KEYCLOAK_URL");
        if (existing != null && !existing.isBlank()) {
            KeycloakServer attached = new KeycloakServer(existing.replaceAll("/+$", ""), -1, null);
            attached.awaitRealm(Duration.ofSeconds(30));
            return attached;
        }
        Properties settings = settings();
        Path home = Path.of(settings.getProperty("keycloak.home"));
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("Keycloak is not unpacked at " + home
                    + ": build the test-support module without -DskipTests");
        }
        int port = freePort();
        try {
            resetData(home, Path.of(settings.getProperty("keycloak.realm-file")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Keycloak's data under " + home, e);
        }
        KeycloakServer server = new KeycloakServer("http://127.0.0.1:" + port, port, launch(home, port));
        server.awaitRealm(Duration.ofSeconds(180));
        return server;
    }

    /**
     * Starts a stopped Keycloak again on the same port with the same data (realm, keys), as
     * after an outage: tokens issued before stay valid.
     */
    public void restart() {
        if (process == null) {
            throw new IllegalStateException("an attached Keycloak cannot be restarted");
        }
        close();
        process = launch(Path.of(settings().getProperty("keycloak.home")), port);
        awaitRealm(Duration.ofSeconds(180));
    }

    /** Stops Keycloak for an outage test; {@link #restart()} brings it back. */
    public void stop() {
        close();
    }

    private static Process launch(Path home, int port) {
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + freePort(),
                    "--import-realm", "--health-enabled=true"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("keycloak-test.log").toFile()));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
            builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Keycloak from " + home, e);
        }
    }

    /** The realm's issuer URL, i.e. {@code quarkus.oidc.auth-server-url}. */
    public String realmUrl() {
        return baseUrl + "/realms/" + REALM;
    }

    public String tokenEndpoint() {
        return realmUrl() + "/protocol/openid-connect/token";
    }

    /** A client-credentials access token of one of the realm's clients. */
    public String accessToken(String clientId, String secret) {
        String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret=" + encode(secret);
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token request for " + clientId + " failed: HTTP "
                        + response.statusCode() + " " + response.body());
            }
            return Json.tree(response.body().getBytes(StandardCharsets.UTF_8)).get("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops Keycloak (its launcher script and the JVM under it). */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private void awaitRealm(Duration timeout) {
        URI discovery = URI.create(realmUrl() + "/.well-known/openid-configuration");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue());
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(500));
        }
        close();
        throw new IllegalStateException("Keycloak realm not available within " + timeout);
    }

    /** A fresh development database and the current realm file for every start. */
    private static void resetData(Path home, Path realmFile) throws IOException {
        Path data = home.resolve("data");
        if (Files.exists(data)) {
            try (Stream<Path> paths = Files.walk(data)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(data.resolve("import"));
        Files.copy(realmFile, data.resolve("import/rxon-realm.json"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Properties settings() {
        try (InputStream in = KeycloakServer.class.getResourceAsStream("/rxon-test-support.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
