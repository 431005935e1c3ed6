package io.rxon.orchestrator.error;

import java.util.List;

/** Job params that break the input schema the workers declared: a 400 whose body lists each violation. */
public class InvalidParamsException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    private final List<String> violations;

    public InvalidParamsException(String message, List<String> violations) {
        super(message);
        this.violations = List.copyOf(violations);
    }

    /** One line per violation, each starting with the JSON path of the offending value. */
    public List<String> violations() {
        return violations;
    }
}
