package io.rxon.orchestrator.config;

import io.rxon.common.protocol.Protocol;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Puts {@code X-RXON-Version} on every response of the application, as the reference middleware does. */
@ApplicationScoped
public class ProtocolVersionFilter {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            context.response().putHeader(Protocol.HEADER_VERSION, Protocol.VERSION);
            context.next();
        });
    }
}
