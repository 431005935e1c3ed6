package io.rxon.orchestrator.error;

import java.util.List;

/** A workflow definition that cannot be registered: a 400 whose body lists each problem ({@code problems}). */
public class InvalidDefinitionException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidDefinitionException(String message, List<String> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each starting with the path of the offending task or field. */
    public List<String> problems() {
        return problems;
    }
}
