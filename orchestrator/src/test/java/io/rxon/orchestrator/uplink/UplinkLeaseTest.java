package io.rxon.orchestrator.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The lease that makes one replica the cluster's uplink, on the real database: one holder at a time,
 * renewed by its holder, taken over only once it has expired or been released.
 */
@QuarkusTest
class UplinkLeaseTest {

    private static final Duration SHORT = Duration.ofMillis(500);
    private static final Duration LONG = Duration.ofMinutes(1);

    @Inject
    UplinkLease lease;

    @Test
    void shouldLetOneReplicaHoldTheUplinkAndAnotherTakeItOnlyOnceItExpired() {
        // given replica A holding the uplink of a parent identity for a short lease
        String parentId = "region-" + UUID.randomUUID();
        assertThat(lease.claim(parentId, "replica-a", SHORT)).isTrue();

        // when replica B tries while the lease runs, and A renews it
        // then B does not get it, and A keeps it
        assertThat(lease.claim(parentId, "replica-b", SHORT)).isFalse();
        assertThat(lease.claim(parentId, "replica-a", SHORT)).isTrue();

        // when A stops renewing
        // then B takes it over once it has run out, and A no longer holds it
        await().atMost(Duration.ofSeconds(5)).until(() -> lease.claim(parentId, "replica-b", LONG));
        assertThat(lease.claim(parentId, "replica-a", LONG)).isFalse();
    }

    @Test
    void shouldHandTheUplinkOverAtOnceWhenItsHolderReleasesIt() {
        // given replica A holding a long lease
        String parentId = "region-" + UUID.randomUUID();
        assertThat(lease.claim(parentId, "replica-a", LONG)).isTrue();
        assertThat(lease.claim(parentId, "replica-b", LONG)).isFalse();

        // when A shuts down and releases it
        lease.release(parentId, "replica-a");

        // then B takes it at once, and another parent identity's lease is independent
        assertThat(lease.claim(parentId, "replica-b", LONG)).isTrue();
        assertThat(lease.claim("other-" + parentId, "replica-a", LONG)).isTrue();
    }
}
