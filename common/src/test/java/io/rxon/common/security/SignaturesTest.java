package io.rxon.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rxon.common.TestResources;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.Heartbeat;
import io.rxon.common.protocol.TaskPayload;
import io.rxon.common.protocol.WorkerEventPayload;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    private static final JsonNode ED25519 = TestResources.json("ed25519-vectors.json");

    @Test
    void shouldSignLikeTheReferenceEd25519ImplementationForEveryVector() {
        // given the reference's key (PKCS#8 PEM) and its signatures over canonical bytes
        Ed25519Signer signer = Ed25519Signer.fromPem(ED25519.get("private_key_pem").asText());
        Ed25519Verifier verifier = Ed25519Verifier.fromPem(ED25519.get("public_key_pem").asText());

        ED25519.get("vectors").forEach(vector -> {
            JsonNode input = Json.tree(vector.get("input").asText().getBytes(StandardCharsets.UTF_8));
            List<String> ignored = new ArrayList<>();
            vector.get("ignore_fields").forEach(field -> ignored.add(field.asText()));

            // when
            byte[] canonical = Signatures.signedBytes(input, ignored);
            String signature = signer.sign(canonical);

            // then Ed25519 being deterministic, the bytes and the signature are identical
            assertThat(new String(canonical, StandardCharsets.UTF_8)).isEqualTo(vector.get("canonical").asText());
            assertThat(signature).isEqualTo(vector.get("signature_hex").asText());
            assertThat(verifier.verify(canonical, signature)).isTrue();
        });
    }

    @Test
    void shouldRoundTripGeneratedEd25519KeysThroughPem() {
        // given
        KeyPair pair = Ed25519Keys.generate();
        Ed25519Signer signer = Ed25519Signer.fromPem(Ed25519Keys.privateKeyPem(pair.getPrivate()));
        Ed25519Verifier verifier = Ed25519Verifier.fromPem(Ed25519Keys.publicKeyPem(pair.getPublic()));
        byte[] data = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

        // when
        String signature = signer.sign(data);

        // then
        assertThat(signature).hasSize(128);
        assertThat(verifier.verify(data, signature)).isTrue();
        assertThat(verifier.verify("{\"a\":2}".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(verifier.verify(data, "zz")).isFalse();
        assertThat(verifier.verify(data, "z".repeat(128))).isFalse();
        assertThat(verifier.verify(data, null)).isFalse();
        char flipped = signature.charAt(10) == '0' ? '1' : '0';
        assertThat(verifier.verify(data, signature.substring(0, 10) + flipped + signature.substring(11))).isFalse();
        String anotherKeys = new Ed25519Signer(Ed25519Keys.generate().getPrivate()).sign(data);
        assertThat(verifier.verify(data, anotherKeys)).isFalse();
    }

    @Test
    void shouldDeriveThePublicKeyFromThePrivateKey() {
        KeyPair pair = Ed25519Keys.generate();

        assertThat(Ed25519Keys.publicKeyOf(pair.getPrivate()).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(Ed25519Keys.publicKeyPem(Ed25519Keys.publicKeyOf(
                Ed25519Keys.parsePrivateKey(ED25519.get("private_key_pem").asText()))))
                .isEqualTo(ED25519.get("public_key_pem").asText());
    }

    @Test
    void shouldRejectKeysThatAreNotEd25519Pem() {
        assertThatThrownBy(() -> Ed25519Keys.parsePrivateKey("not a key")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519Keys.parsePublicKey(ED25519.get("private_key_pem").asText()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519Keys.parsePrivateKey("-----BEGIN PRIVATE KEY-----\n!!\n-----END PRIVATE KEY-----"))
                .hasMessageContaining("Base64");
    }

    @Test
    void shouldVerifyHmacInConstantTimeAndRejectEmptyInput() {
        HmacSigner hmac = new HmacSigner("secret");
        byte[] data = "{}".getBytes(StandardCharsets.UTF_8);
        String signature = hmac.sign(data);

        assertThat(signature).hasSize(64).matches("[0-9a-f]+");
        assertThat(hmac.verify(data, signature)).isTrue();
        assertThat(hmac.verify(data, signature.toUpperCase())).isFalse();
        assertThat(hmac.verify(data, "")).isFalse();
        assertThat(hmac.verify(data, null)).isFalse();
        assertThat(new HmacSigner("other").verify(data, signature)).isFalse();
        assertThatThrownBy(() -> new HmacSigner("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new HmacSigner("s3cr3t-value").toString()).doesNotContain("s3cr3t-value");
    }

    @Test
    void shouldSignMessagesSoThatTheRawJsonVerifies() {
        // given a worker signing its heartbeat with its token
        MessageSigning signing = new MessageSigning(new HmacSigner("token-1"), "w1");
        Heartbeat heartbeat = Heartbeat.of("w1", "busy", List.of("t1"), 1760000000L);

        // when
        Heartbeat signed = signing.sign(heartbeat);
        JsonNode wire = Json.tree(Json.write(signed));

        // then the receiver, canonicalising the received bytes, gets the same signature
        assertThat(signed.security().signerId()).isEqualTo("w1");
        assertThat(Signatures.verify(wire, signed.security().signature(), new HmacSigner("token-1"), List.of()))
                .isTrue();
    }

    @Test
    void shouldLeaveTheBubblingChainOutOfEventSignatures() {
        // given a signed event
        MessageSigning signing = new MessageSigning(new HmacSigner("k"), "w1");
        TaskPayload task = TaskPayload.of("j1", "t1", "echo", Map.of());
        WorkerEventPayload event = signing.sign(WorkerEventPayload.progress("e1", "w1", task, 0.5, "half", 1L));

        // when a relay appends itself to the chain
        ObjectNode relayed = (ObjectNode) Json.tree(Json.write(event));
        relayed.putArray("bubbling_chain").add("relay-1");

        // then the origin's signature still verifies, but not if the payload changes
        assertThat(Signatures.verify(relayed, event.security().signature(), new HmacSigner("k"),
                WorkerEventPayload.UNSIGNED_FIELDS)).isTrue();
        ((ObjectNode) relayed.get("payload")).put("progress", 0.9);
        assertThat(Signatures.verify(relayed, event.security().signature(), new HmacSigner("k"),
                WorkerEventPayload.UNSIGNED_FIELDS)).isFalse();
    }

    @Test
    void shouldTreatPlaceholderAndEmptyTokensAsUnusable() {
        assertThat(MessageSigning.isUsableSecret("real")).isTrue();
        assertThat(MessageSigning.isUsableSecret("")).isFalse();
        assertThat(MessageSigning.isUsableSecret(null)).isFalse();
        assertThat(MessageSigning.isUsableSecret("your-secret-worker-token")).isFalse();
    }
}
