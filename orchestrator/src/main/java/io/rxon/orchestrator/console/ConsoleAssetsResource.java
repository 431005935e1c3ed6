package io.rxon.orchestrator.console;

import io.rxon.orchestrator.error.ResourceNotFoundException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The console's stylesheet and script, kept in the repository (no Node build) and served from here
 * rather than as static resources, so that {@code RXON_CONSOLE_ENABLED=false} hides them too.
 */
@Path("/console/assets")
public class ConsoleAssetsResource {

    private static final Map<String, String> TYPES = Map.of(
            "console.css", "text/css;charset=UTF-8",
            "console.js", "text/javascript;charset=UTF-8");

    private final Map<String, byte[]> assets = Map.of(
            "console.css", load("console.css"),
            "console.js", load("console.js"));

    @GET
    @Path("/{name}")
    public Response asset(@RestPath String name) {
        byte[] body = assets.get(name);
        if (body == null) {
            throw new ResourceNotFoundException("no console asset " + name);
        }
        return Response.ok(body).type(TYPES.get(name)).header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-cache").build();
    }

    private static byte[] load(String name) {
        try (InputStream in = ConsoleAssetsResource.class.getResourceAsStream("/console-assets/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console asset " + name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
