package io.rxon.common.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.CanonicalJson;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What exactly is signed (PROTOCOL.md §5.1): the canonical JSON of a message without its
 * top-level {@code security} and {@code _signature} members and without any caller-named
 * fields ({@code bubbling_chain} for events, {@code sig} for orchestrator-signed tasks).
 */
public final class Signatures {

    private Signatures() {}

    /** The bytes a signature covers. */
    public static byte[] signedBytes(JsonNode payload, Collection<String> ignoreFields) {
        Set<String> excluded = new LinkedHashSet<>(Protocol.UNSIGNED_FIELDS);
        excluded.addAll(ignoreFields);
        return CanonicalJson.bytes(payload, excluded);
    }

    /** The reference's {@code sign_payload(payload, secret, ignore_fields)} over a raw JSON text. */
    public static String hmacSha256Hex(String json, String secret, Collection<String> ignoreFields) {
        return new HmacSigner(secret).sign(signedBytes(Json.tree(json.getBytes(StandardCharsets.UTF_8)),
                ignoreFields));
    }

    public static String sign(JsonNode payload, MessageSigner signer, Collection<String> ignoreFields) {
        return signer.sign(signedBytes(payload, ignoreFields));
    }

    public static boolean verify(
            JsonNode payload, String signatureHex, MessageVerifier verifier, Collection<String> ignoreFields) {
        return verifier.verify(signedBytes(payload, ignoreFields), signatureHex);
    }
}
