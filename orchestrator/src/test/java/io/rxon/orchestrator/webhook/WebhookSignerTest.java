package io.rxon.orchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The signature receivers recompute (README.md, "Webhooks"). */
class WebhookSignerTest {

    private static final byte[] BODY = "{\"event\":\"job_finished\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldSignTheTimestampADotAndTheExactBodyBytesWithHmacSha256() {
        // given the secret and a body; the expected value comes from Python's hmac module:
        // hmac.new(b"test-webhook-secret", b"1700000000." + body, hashlib.sha256).hexdigest()
        WebhookSigner signer = new WebhookSigner("test-webhook-secret");

        // when it is signed
        String signature = signer.signature(1_700_000_000L, BODY);

        // then it is the documented HMAC
        assertThat(signature).isEqualTo("sha256=745fba5d3f95c7520cf2006bdc0815914386c62c1a3ffc8ec69fc72118990256");
    }

    @Test
    void shouldSignAnotherTimestampDifferentlySoAReplayedSignatureDoesNotFitAFreshTimestamp() {
        WebhookSigner signer = new WebhookSigner("test-webhook-secret");

        assertThat(signer.signature(1_700_000_001L, BODY)).isNotEqualTo(signer.signature(1_700_000_000L, BODY));
        assertThat(new WebhookSigner("other").signature(1_700_000_000L, BODY))
                .isNotEqualTo(signer.signature(1_700_000_000L, BODY));
    }

    @Test
    void shouldRefuseAnEmptySecret() {
        assertThatThrownBy(() -> new WebhookSigner("")).isInstanceOf(IllegalArgumentException.class);
    }
}
