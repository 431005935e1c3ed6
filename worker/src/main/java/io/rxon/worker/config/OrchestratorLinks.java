package io.rxon.worker.config;

import io.rxon.worker.host.NvidiaSmi;
import io.rxon.worker.link.LinkMode;
import io.rxon.worker.runtime.LinkSpec;
import java.util.List;
import java.util.Optional;

/**
 * The configured orchestrators, ready to run: one {@link LinkSpec} each (in priority order), the
 * mode they are asked in, and the GPUs found for the profile and telemetry.
 */
record OrchestratorLinks(List<LinkSpec> specs, LinkMode mode, Optional<NvidiaSmi> gpus) {}
