package io.rxon.orchestrator.api;

import io.rxon.common.protocol.Identifiers;
import io.rxon.orchestrator.db.StorableJson;
import io.rxon.orchestrator.error.InvalidRequestException;

/**
 * Ids that come from outside in a path, header or query (job ids, worker ids, skill names): an
 * ill-formed one ({@code %00}, {@code ../x}) is bad input, refused before it reaches a map or a query,
 * with the offending value shown escaped and shortened.
 */
public final class Ids {

    private Ids() {}

    /** {@code value} when it is an identifier (PROTOCOL.md §2.6); otherwise 400 naming {@code what}. */
    public static String require(String value, String what) {
        if (!Identifiers.isValid(value)) {
            String shown = value == null ? "" : value.length() > 60 ? value.substring(0, 60) + "…" : value;
            throw new InvalidRequestException(what + " must be 1-128 characters of [A-Za-z0-9_-], got '"
                    + StorableJson.printable(shown) + "'");
        }
        return value;
    }
}
