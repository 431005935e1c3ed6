package io.rxon.common.transport;

import io.rxon.common.protocol.Protocol;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Compares the orchestrator's {@code X-RXON-Version} with ours and warns once per transport, as
 * the reference client does. There is no hard negotiation: a different version is usually
 * compatible, and the warning is what an operator needs when it is not.
 */
final class VersionCheck {

    private static final System.Logger LOG = System.getLogger(VersionCheck.class.getName());

    private final AtomicBoolean warned = new AtomicBoolean();

    void observe(Optional<String> serverVersion) {
        serverVersion.filter(version -> !version.equals(Protocol.VERSION))
                .filter(version -> warned.compareAndSet(false, true))
                .ifPresent(version -> LOG.log(Level.WARNING,
                        "RXON Protocol Version Mismatch: orchestrator speaks {0}, this worker speaks {1}",
                        version, Protocol.VERSION));
    }
}
