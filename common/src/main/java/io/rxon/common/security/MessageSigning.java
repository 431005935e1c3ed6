package io.rxon.common.security;

import io.rxon.common.json.Json;
import io.rxon.common.protocol.SecurityContext;
import io.rxon.common.protocol.Signable;
import io.rxon.common.protocol.WorkerEventPayload;
import java.util.List;

/**
 * Signs outgoing worker messages the way the reference SDK does: the message is canonicalised
 * without {@code security} (events also without {@code bubbling_chain}), signed, and a
 * {@link SecurityContext} with the signature and this worker's id as signer is attached.
 */
public final class MessageSigning {

    private final MessageSigner signer;
    private final String signerId;
    private final List<String> identityChain;

    public MessageSigning(MessageSigner signer, String signerId, List<String> identityChain) {
        this.signer = signer;
        this.signerId = signerId;
        this.identityChain = identityChain == null ? null : List.copyOf(identityChain);
    }

    public MessageSigning(MessageSigner signer, String signerId) {
        this(signer, signerId, null);
    }

    /** Whether a token is a real secret: the reference does not sign with an empty or placeholder token. */
    public static boolean isUsableSecret(String token) {
        return token != null && !token.isBlank() && !"your-secret-worker-token".equals(token);
    }

    public <T extends Signable<T>> T sign(T message) {
        T unsigned = message.withSecurity(null);
        List<String> ignored = unsigned instanceof WorkerEventPayload ? WorkerEventPayload.UNSIGNED_FIELDS : List.of();
        String signature = Signatures.sign(Json.tree(unsigned), signer, ignored);
        return unsigned.withSecurity(new SecurityContext(signature, signerId, identityChain, null));
    }
}
