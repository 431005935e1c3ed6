package io.rxon.worker.example;

import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.worker.skill.Skill;
import io.rxon.worker.skill.SkillContext;
import io.rxon.worker.skill.SkillDescriptor;
import io.rxon.worker.skill.SkillException;
import io.rxon.worker.skill.SkillResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The example of SKILLS.md, kept compiling and tested here: counts the words of a text. */
@ApplicationScoped
public class WordCountSkill implements Skill {

    private static final SkillInfo INFO = SkillDescriptor.builder("word_count")
            .description("Counts the words of a text and returns the most frequent ones.")
            .version("1.0.0")
            .inputSchema("""
                    {"type": "object",
                     "required": ["text"],
                     "properties": {
                       "text": {"type": "string", "minLength": 1},
                       "top":  {"type": "integer", "minimum": 1, "maximum": 100}},
                     "additionalProperties": false}
                    """)
            .outputSchema("""
                    {"type": "object",
                     "required": ["words", "top"],
                     "properties": {
                       "words": {"type": "integer", "minimum": 0},
                       "top":   {"type": "array", "items": {"type": "object"}}}}
                    """)
            .event("milestone", """
                    {"type": "object", "required": ["lines_done"],
                     "properties": {"lines_done": {"type": "integer"}}}
                    """)
            .build();

    @Override
    public SkillInfo info() {
        return INFO;
    }

    @Override
    public SkillResult execute(SkillContext context) {
        String text = (String) context.params().get("text");
        int top = ((Number) context.params().getOrDefault("top", 10)).intValue();
        if (text.isBlank()) {
            throw new SkillException(ErrorCode.INVALID_INPUT_ERROR, "text has no words");
        }
        List<String> lines = text.lines().toList();
        Map<String, Integer> counts = new TreeMap<>();
        int words = 0;
        for (int i = 0; i < lines.size(); i++) {
            context.checkCancelled();
            for (String word : lines.get(i).toLowerCase().split("\\W+")) {
                if (!word.isEmpty()) {
                    counts.merge(word, 1, Integer::sum);
                    words++;
                }
            }
            context.progress((i + 1.0) / lines.size(), "line " + (i + 1) + " of " + lines.size());
            if ((i + 1) % 1000 == 0) {
                context.emit("milestone", Map.of("lines_done", i + 1));
            }
        }
        List<Map<String, Object>> frequent = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(top)
                .map(e -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("word", e.getKey());
                    entry.put("count", e.getValue());
                    return entry;
                })
                .toList();
        return SkillResult.of(Map.of("words", words, "top", frequent));
    }
}
