package io.rxon.common.protocol;

import java.util.Map;

/** A worker access token (and optional refresh token) issued by the orchestrator's token service. */
@WireMessage
public record TokenResponse(
        String accessToken, long expiresIn, String workerId, String refreshToken, Map<String, Object> metadata) {

    public TokenResponse {
        Wire.required(accessToken, "access_token");
        Wire.required(workerId, "worker_id");
        metadata = Wire.map(metadata);
    }

    /** Never prints the tokens: records end up in logs. */
    @Override
    public String toString() {
        return "TokenResponse[worker_id=" + workerId + ", expires_in=" + expiresIn + ", tokens=***]";
    }
}
