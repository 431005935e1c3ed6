package io.rxon.orchestrator.workflow;

import static io.rxon.orchestrator.workflow.Workflows.asClient;
import static io.rxon.orchestrator.workflow.Workflows.definition;
import static io.rxon.orchestrator.workflow.Workflows.register;
import static io.rxon.orchestrator.workflow.Workflows.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Workflow definitions through the client API: checked on register, immutable, listed, drawn, deleted. */
@QuarkusTest
class WorkflowDefinitionTest {

    @Test
    void shouldRegisterADefinitionOnceAndKeepEachVersionImmutable() {
        // given a valid definition whose skill no worker offers
        String name = unique("seq");
        String yaml = definition(name, """
                do:
                  - first:
                      call: rxon
                      with:
                        skill: nobody_has_it
                """);

        // when it is registered, then again, then changed under the same version
        register(yaml).statusCode(201).body("name", equalTo(name)).body("version", equalTo("1.0.0"))
                .body("warnings", hasItem(containsString("nobody_has_it")));
        register(yaml).statusCode(200);
        register(yaml.replace("nobody_has_it", "another")).statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("immutable"));

        // then it is listed and readable as sent
        asClient().when().get("/api/v1/workflows/" + name).then().statusCode(200)
                .body("version", hasItem("1.0.0"));
        String stored = asClient().when().get("/api/v1/workflows/" + name + "/1.0.0").then().statusCode(200)
                .extract().asString();
        assertThat(stored).isEqualTo(yaml);
        asClient().when().get("/api/v1/workflows").then().statusCode(200).body("name", hasItem(name));

        // and deleting it removes it
        asClient().when().delete("/api/v1/workflows/" + name + "/1.0.0").then().statusCode(200);
        asClient().when().get("/api/v1/workflows/" + name + "/1.0.0").then().statusCode(404);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "do:\\n  - a:\\n      call: rxon\\n      with:\\n        skill: s\\n      then: nowhere | dangling transition",
        "do:\\n  - a:\\n      set:\\n        x: 1\\n      then: end\\n  - b:\\n      set:\\n        y: 1 | unreachable",
        "do:\\n  - a:\\n      call: http\\n      with:\\n        method: get\\n        endpoint: http://x | only 'call: rxon'",
        "do:\\n  - a:\\n      call: rxon\\n      with:\\n        params: {} | a skill name is required",
        "do:\\n  - a:\\n      set:\\n        x: ${ .a + } | does not compile",
        "do:\\n  - a:\\n      sett:\\n        x: 1 | schema:",
        "input:\\n  schema:\\n    document:\\n      type: string\\n      pattern: \"[\"\\ndo:\\n  - a:\\n      set:\\n        x: 1 | not a valid JSON Schema",
        "do:\\n  - a:\\n      wait: soon | ISO 8601",
        "do:\\n  - a:\\n      listen:\\n        to:\\n          any: [] | signal name",
    })
    void shouldRefuseEachKindOfInvalidDefinitionWithItsProblemListed(String body, String problem) {
        // given a definition with one problem
        String yaml = definition(unique("bad"), body.replace("\\n", "\n").trim() + "\n");

        // when it is registered, then it is refused with the problem listed
        register(yaml).statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("INVALID_INPUT_ERROR"))
                .body("problems", hasItem(containsString(problem.trim())));
    }

    @Test
    void shouldRefuseBodiesThatAreNoDefinitionWithoutA500() {
        register("not: [valid").statusCode(400).body("problems[0]", startsWith("the document is neither"));
        register("[1, 2]").statusCode(400);
        register("").statusCode(400);
    }

    @Test
    void shouldDrawADefinitionAsMermaidAndDot() {
        // given a definition with a switch
        String name = unique("graph");
        register(definition(name, """
                do:
                  - check:
                      switch:
                        - big:
                            when: '${ .n > 3 }'
                            then: large
                        - default:
                            then: small
                  - large:
                      set:
                        size: large
                      then: end
                  - small:
                      set:
                        size: small
                """)).statusCode(201);

        // when it is drawn, then both renderings show its tasks and the switch's cases
        String mermaid = asClient().when().get("/api/v1/workflows/" + name + "/graph").then().statusCode(200)
                .extract().asString();
        assertThat(mermaid).startsWith("flowchart TD").contains("check<br/>switch").contains("|big|")
                .contains("|default|");
        String dot = asClient().queryParam("format", "dot").when().get("/api/v1/workflows/" + name + "/graph")
                .then().statusCode(200).extract().asString();
        assertThat(dot).startsWith("digraph").contains("label=\"big\"");
    }
}
