package io.rxon.worker.config;

import io.quarkus.logging.Log;
import io.rxon.common.security.Ed25519Keys;
import io.rxon.common.security.Ed25519Signer;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageSigning;
import io.rxon.common.transport.Credentials;
import io.rxon.common.transport.OidcClientCredentials;
import io.rxon.worker.link.OrchestratorEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How this worker proves who it is. Static mode (the reference's): a token, and HMAC signatures
 * keyed with it. Keycloak mode: a client-credentials access token, renewed by itself, and
 * Ed25519 signatures with a key whose public half is registered (a short-lived bearer token makes
 * a poor signing secret). A configured key file switches a static worker to Ed25519 too.
 *
 * @param publicKeyPem the key to register, when signing with Ed25519
 */
public record WorkerSecurity(Credentials credentials, Optional<MessageSigning> signing, Optional<String> publicKeyPem) {

    /**
     * The identity towards one orchestrator of {@code RXON_ORCHESTRATORS}: its own token or
     * Keycloak client when the entry has one, else the worker's. Ed25519 links share {@code keys}
     * (one key pair per worker run).
     */
    static WorkerSecurity forEntry(WorkerConfig config, String workerId, OrchestratorEntry entry,
            Supplier<KeyPair> keys) {
        if (entry.oidc().isPresent()) {
            OrchestratorEntry.Oidc oidc = entry.oidc().get();
            Log.infof("authenticating with Keycloak as client %s at %s", oidc.clientId(), entry.url());
            return ed25519(new OidcClientCredentials(oidc.tokenUrl(), oidc.clientId(), oidc.clientSecret()),
                    keys.get(), workerId);
        }
        if (entry.token().isEmpty()) {
            return from(config, workerId, keys);
        }
        return fromToken(entry.token().get(), config, workerId, keys);
    }

    /** The key pair of this run, read or generated once however many orchestrators use it. */
    static Supplier<KeyPair> keyPairs(WorkerConfig config) {
        return new Supplier<>() {
            private KeyPair key;

            @Override
            public synchronized KeyPair get() {
                if (key == null) {
                    key = keyPair(config);
                }
                return key;
            }
        };
    }

    private static WorkerSecurity from(WorkerConfig config, String workerId, Supplier<KeyPair> keys) {
        WorkerConfig.Oidc oidc = config.oidc();
        if (oidc.tokenUrl().isPresent()) {
            String clientId = oidc.clientId().orElseThrow(() ->
                    new IllegalStateException("RXON_OIDC_TOKEN_URL is set but RXON_OIDC_CLIENT_ID is not"));
            String secret = oidc.clientSecret().orElseThrow(() ->
                    new IllegalStateException("RXON_OIDC_TOKEN_URL is set but RXON_OIDC_CLIENT_SECRET is not"));
            Credentials credentials = new OidcClientCredentials(oidc.tokenUrl().get(), clientId, secret);
            Log.infof("authenticating with Keycloak as client %s", clientId);
            return ed25519(credentials, keys.get(), workerId);
        }
        return fromToken(config.token().orElse(null), config, workerId, keys);
    }

    private static WorkerSecurity fromToken(String token, WorkerConfig config, String workerId,
            Supplier<KeyPair> keys) {
        Credentials credentials = Credentials.ofToken(token);
        if (config.keyFile().isPresent()) {
            return ed25519(credentials, keys.get(), workerId);
        }
        Optional<MessageSigning> hmac = MessageSigning.isUsableSecret(token)
                ? Optional.of(new MessageSigning(new HmacSigner(token), workerId)) : Optional.empty();
        return new WorkerSecurity(credentials, hmac, Optional.empty());
    }

    private static WorkerSecurity ed25519(Credentials credentials, KeyPair key, String workerId) {
        return new WorkerSecurity(credentials,
                Optional.of(new MessageSigning(new Ed25519Signer(key.getPrivate()), workerId)),
                Optional.of(Ed25519Keys.publicKeyPem(key.getPublic())));
    }

    /** The configured key, or a fresh one for this run (the new public key is registered at start). */
    private static KeyPair keyPair(WorkerConfig config) {
        if (config.keyFile().isEmpty()) {
            return Ed25519Keys.generate();
        }
        try {
            PrivateKey privateKey = Ed25519Keys.parsePrivateKey(Files.readString(config.keyFile().get(),
                    StandardCharsets.UTF_8));
            return new KeyPair(publicKeyOf(privateKey), privateKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read RXON_WORKER_KEY_FILE " + config.keyFile().get(), e);
        }
    }

    private static PublicKey publicKeyOf(PrivateKey privateKey) {
        return Ed25519Keys.publicKeyOf(privateKey);
    }
}
