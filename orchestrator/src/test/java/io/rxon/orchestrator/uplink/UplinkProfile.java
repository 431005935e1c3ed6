package io.rxon.orchestrator.uplink;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.rxon.orchestrator.testing.ReferenceParent;
import java.util.Map;

/**
 * This orchestrator as the region of a holarchy: its parent is a {@link ReferenceParent} (a server
 * that speaks only the reference protocol), and it runs in pure holon mode.
 */
public class UplinkProfile implements QuarkusTestProfile {

    static final String REGION_ID = "region-under-test";
    static final String PARENT_TOKEN = "parent-token-for-the-region";
    static final ReferenceParent PARENT = ReferenceParent.start(PARENT_TOKEN);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "rxon.orchestrator.parent.url", PARENT.url(),
                "rxon.orchestrator.parent.worker-id", REGION_ID,
                "rxon.orchestrator.parent.token", PARENT_TOKEN,
                "rxon.orchestrator.parent.heartbeat-interval", "300ms",
                "rxon.orchestrator.parent.poll-timeout", "1s",
                "rxon.orchestrator.client-api.enabled", "false");
    }
}
