package io.rxon.common.protocol;

import java.util.List;
import java.util.Map;

/** The signature block attached to a signed message, plus the identity chain through the holarchy. */
@WireMessage
public record SecurityContext(
        String signature, String signerId, List<String> identityChain, Map<String, Object> metadata) {

    public SecurityContext {
        identityChain = Wire.list(identityChain);
        metadata = Wire.map(metadata);
    }

    public static SecurityContext signed(String signature, String signerId) {
        return new SecurityContext(signature, signerId, null, null);
    }
}
