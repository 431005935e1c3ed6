package io.rxon.worker.skill.builtin;

import io.rxon.common.protocol.SkillInfo;
import io.rxon.worker.skill.Skill;
import io.rxon.worker.skill.SkillContext;
import io.rxon.worker.skill.SkillDescriptor;
import io.rxon.worker.skill.SkillResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;

/**
 * Built-in {@code sleep}: waits {@code seconds}, reporting progress in up to ten steps and
 * stopping at once when cancelled. For demos of progress, cancellation and drain, and for load
 * tests that need tasks of a known length.
 */
@ApplicationScoped
public class SleepSkill implements Skill {

    public static final String NAME = "sleep";
    private static final int MAX_STEPS = 10;

    private static final SkillInfo INFO = SkillDescriptor.builder(NAME)
            .type("builtin")
            .description("Waits the given number of seconds, reporting progress; honours cancellation.")
            .version("1.0")
            .inputSchema("""
                    {"type": "object",
                     "required": ["seconds"],
                     "properties": {"seconds": {"type": "number", "minimum": 0, "maximum": 86400}},
                     "additionalProperties": false}
                    """)
            .outputSchema("""
                    {"type": "object",
                     "required": ["slept_seconds"],
                     "properties": {"slept_seconds": {"type": "number", "minimum": 0}}}
                    """)
            .build();

    @Override
    public SkillInfo info() {
        return INFO;
    }

    @Override
    public SkillResult execute(SkillContext context) {
        double seconds = ((Number) context.params().get("seconds")).doubleValue();
        long totalMillis = Math.round(seconds * 1000);
        int steps = (int) Math.max(1, Math.min(MAX_STEPS, Math.ceil(seconds)));
        long done = 0;
        for (int step = 1; step <= steps; step++) {
            long until = totalMillis * step / steps;
            context.pause(Duration.ofMillis(until - done));
            done = until;
            context.progress((double) step / steps, "slept " + done / 1000.0 + " of " + seconds + " s");
        }
        return SkillResult.of(Map.of("slept_seconds", seconds));
    }
}
