package io.rxon.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Just enough of a Kubernetes API server, on loopback, for the chart's {@code lookup} calls. It exists because
 * helm-java renders templates as a non-dry-run install that does not talk to a cluster, except that
 * {@code lookup} still asks the cluster named by {@code KUBECONFIG} (by default {@code localhost:8080}, where
 * anything might listen). The deploy module's Surefire configuration points {@code KUBECONFIG} at the file this
 * class writes, so a lookup sees an empty namespace, or the Secrets a test put here to play "upgrade".
 */
final class FakeKubernetesApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Map<String, Object>> secrets = new ConcurrentHashMap<>();

    private FakeKubernetesApi(HttpServer server) {
        this.server = server;
    }

    /** Starts the server and writes a kubeconfig for it to {@code kubeconfig}. */
    static FakeKubernetesApi start(Path kubeconfig) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeKubernetesApi api = new FakeKubernetesApi(server);
            server.createContext("/", api::handle);
            server.start();
            Files.createDirectories(kubeconfig.getParent());
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                      - name: fake
                        cluster:
                          server: http://127.0.0.1:%d
                    contexts:
                      - name: fake
                        context:
                          cluster: fake
                          user: fake
                    current-context: fake
                    users:
                      - name: fake
                        user: {}
                    """.formatted(server.getAddress().getPort()));
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code GET} of this Secret answer with its (already base64-encoded) data. */
    void putSecret(String namespace, String name, Map<String, String> base64Data) {
        secrets.put(namespace + "/" + name, Map.of(
                "apiVersion", "v1", "kind", "Secret", "type", "Opaque",
                "metadata", Map.of("name", name, "namespace", namespace),
                "data", base64Data));
    }

    void clear() {
        secrets.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String[] parts = path.split("/");
        if ("/api/v1".equals(path)) {
            respond(exchange, 200, Map.of("kind", "APIResourceList", "apiVersion", "v1", "groupVersion", "v1",
                    "resources", List.of(Map.of("name", "secrets", "singularName", "secret", "namespaced", true,
                            "kind", "Secret", "verbs", List.of("get", "list")))));
        } else if (parts.length == 7 && "namespaces".equals(parts[3]) && "secrets".equals(parts[5])
                && secrets.containsKey(parts[4] + "/" + parts[6])) {
            respond(exchange, 200, secrets.get(parts[4] + "/" + parts[6]));
        } else {
            respond(exchange, 404, Map.of("kind", "Status", "apiVersion", "v1", "metadata", Map.of(),
                    "status", "Failure", "reason", "NotFound", "code", 404, "message", path + " not found"));
        }
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
