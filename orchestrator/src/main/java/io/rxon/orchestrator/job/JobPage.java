package io.rxon.orchestrator.job;

import io.rxon.common.protocol.WireMessage;
import java.util.List;

/** One page of a client's jobs, newest first; {@code next_cursor} fetches the following page. */
@WireMessage
public record JobPage(List<JobView> jobs, String nextCursor) {}
