package io.rxon.orchestrator.webhook;

import io.quarkus.runtime.Startup;
import io.rxon.orchestrator.config.OrchestratorConfig;
import io.rxon.orchestrator.security.StoredSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** The webhook policy and signer from configuration, built at startup so a bad setting stops the start. */
@ApplicationScoped
public class WebhookBeans {

    @Produces
    @Singleton
    @Startup
    WebhookAddressPolicy addressPolicy(OrchestratorConfig config) {
        return WebhookAddressPolicy.allowing(config.webhooks().allowedHosts().orElse(List.of()));
    }

    /** Like the tokens, a generated secret is kept under the data directory; unlike them it is not printed. */
    @Produces
    @Singleton
    @Startup
    WebhookSigner signer(OrchestratorConfig config) {
        return new WebhookSigner(StoredSecrets.resolve(config.webhooks().secret(),
                config.dataDir().resolve("webhook-secret"), "RXON_WEBHOOK_SECRET", StoredSecrets.Disclosure.FILE_ONLY));
    }
}
