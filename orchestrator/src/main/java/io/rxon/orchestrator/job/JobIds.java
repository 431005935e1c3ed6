package io.rxon.orchestrator.job;

import io.rxon.common.protocol.Identifiers;
import io.rxon.orchestrator.db.StorableJson;
import io.rxon.orchestrator.error.InvalidRequestException;

/** Job ids in paths: a malformed one ({@code %00}, {@code ../x}) is bad input, never a database query. */
public final class JobIds {

    private JobIds() {}

    public static String require(String id) {
        if (!Identifiers.isValid(id)) {
            throw new InvalidRequestException("job id must be 1-128 characters of [A-Za-z0-9_-], got '"
                    + StorableJson.printable(id == null ? "" : id.length() > 60 ? id.substring(0, 60) + "…" : id) + "'");
        }
        return id;
    }
}
