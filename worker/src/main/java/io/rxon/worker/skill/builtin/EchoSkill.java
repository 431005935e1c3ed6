package io.rxon.worker.skill.builtin;

import io.rxon.common.protocol.SkillInfo;
import io.rxon.worker.skill.Skill;
import io.rxon.worker.skill.SkillContext;
import io.rxon.worker.skill.SkillDescriptor;
import io.rxon.worker.skill.SkillResult;
import jakarta.enterprise.context.ApplicationScoped;

/** Built-in {@code echo}: returns its params as the result data. For smoke tests and latency benchmarks. */
@ApplicationScoped
public class EchoSkill implements Skill {

    public static final String NAME = "echo";

    private static final SkillInfo INFO = SkillDescriptor.builder(NAME)
            .type("builtin")
            .description("Returns its params unchanged as the result data.")
            .version("1.0")
            .inputSchema("""
                    {"type": "object", "description": "any object"}
                    """)
            .outputSchema("""
                    {"type": "object", "description": "the params, unchanged"}
                    """)
            .build();

    @Override
    public SkillInfo info() {
        return INFO;
    }

    @Override
    public SkillResult execute(SkillContext context) {
        return SkillResult.of(context.params());
    }
}
