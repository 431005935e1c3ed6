package io.rxon.orchestrator.protocol;

import io.rxon.orchestrator.security.WorkerIdentity;
import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.protocol.Protocol;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.security.Ed25519Verifier;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageVerifier;
import io.rxon.orchestrator.error.ForbiddenActionException;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.worker.WorkerRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses the key a worker message must be signed with. A worker that registered an Ed25519
 * public key signs with its private key (its registration is signed with the key it carries,
 * which binds the key to the authenticated identity); otherwise a static-token worker signs with
 * HMAC over its token, as the reference does. A Keycloak-authenticated worker has no shared secret,
 * so it must register a key.
 */
@ApplicationScoped
public class SignatureKeys {

    private final WorkerRegistry registry;
    private final Map<String, Ed25519Verifier> parsed = new ConcurrentHashMap<>();

    public SignatureKeys(WorkerRegistry registry) {
        this.registry = registry;
    }

    /** The verifier for a registration: the key it announces, else the identity's usual key. */
    public MessageVerifier forRegistration(WorkerIdentity identity, JsonNode registration) {
        JsonNode pem = registration.path("capabilities").path("extra").path(Protocol.EXTRA_ED25519_PUBLIC_KEY);
        if (pem.isTextual()) {
            return verifier(pem.textValue());
        }
        return forMessage(identity);
    }

    /** The verifier for any other message of this worker. */
    public MessageVerifier forMessage(WorkerIdentity identity) {
        Optional<String> registered = registry.find(identity.workerId())
                .map(state -> state.registration().capabilities())
                .map(WorkerCapabilities::extra)
                .map(extra -> extra.get(Protocol.EXTRA_ED25519_PUBLIC_KEY))
                .filter(String.class::isInstance).map(String.class::cast);
        if (registered.isPresent()) {
            return verifier(registered.get());
        }
        if (identity.isOidc()) {
            throw new ForbiddenActionException("Worker '" + identity.workerId() + "' authenticates with Keycloak and "
                    + "must register an Ed25519 public key (capabilities.extra." + Protocol.EXTRA_ED25519_PUBLIC_KEY
                    + ") and sign with it");
        }
        return new HmacSigner(identity.signingSecret());
    }

    private Ed25519Verifier verifier(String pem) {
        try {
            return parsed.computeIfAbsent(pem, Ed25519Verifier::fromPem);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("capabilities.extra." + Protocol.EXTRA_ED25519_PUBLIC_KEY
                    + " is not an SPKI PEM Ed25519 public key", e);
        }
    }
}
