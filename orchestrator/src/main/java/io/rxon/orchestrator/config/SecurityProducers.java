package io.rxon.orchestrator.config;

import io.rxon.common.security.ZeroTrustGate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** Beans for the plain-Java security pieces of {@code common}. */
@ApplicationScoped
public class SecurityProducers {

    @Produces
    @ApplicationScoped
    ZeroTrustGate zeroTrustGate(Clock clock) {
        return new ZeroTrustGate(clock);
    }
}
