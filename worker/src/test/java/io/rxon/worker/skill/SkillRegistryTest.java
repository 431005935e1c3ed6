package io.rxon.worker.skill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rxon.common.json.CanonicalJson;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.worker.skill.builtin.EchoSkill;
import io.rxon.worker.skill.builtin.SleepSkill;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SkillRegistryTest {

    private static Skill named(String name) {
        SkillInfo info = SkillDescriptor.builder(name).build();
        return new Skill() {
            @Override
            public SkillInfo info() {
                return info;
            }

            @Override
            public SkillResult execute(SkillContext context) {
                return SkillResult.empty();
            }
        };
    }

    @Test
    void shouldOfferEverySkillSortedByName() {
        // when skills are registered in any order
        SkillRegistry registry = SkillRegistry.of(named("zeta"), new EchoSkill(), named("alpha"));

        // then names and catalogue are sorted, and each can be found
        assertThat(registry.names()).containsExactly("alpha", "echo", "zeta");
        assertThat(registry.catalogue()).extracting(SkillInfo::name).containsExactly("alpha", "echo", "zeta");
        assertThat(registry.find("echo")).isPresent();
        assertThat(registry.find("nope")).isEmpty();
    }

    @Test
    void shouldRejectTwoSkillsWithTheSameName() {
        assertThatThrownBy(() -> SkillRegistry.of(named("resize"), named("resize")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("skill 'resize' is declared twice");
    }

    @Test
    void shouldRejectNamesThatAreNotIdentifiers() {
        assertThatThrownBy(() -> SkillRegistry.of(named("resize image")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'resize image'")
                .hasMessageContaining("not an identifier");
    }

    @Test
    void shouldRejectATypeThatIsNotAnIdentifier() {
        Skill skill = new EchoSkill() {
            @Override
            public SkillInfo info() {
                return SkillDescriptor.builder("echo").type("bad type!").build();
            }
        };
        assertThatThrownBy(() -> SkillRegistry.of(skill)).hasMessageContaining("skill type 'bad type!'");
    }

    @Test
    void shouldRejectASkillWhoseNameDiffersFromItsDescriptor() {
        Skill skill = new EchoSkill() {
            @Override
            public String name() {
                return "other";
            }
        };
        assertThatThrownBy(() -> SkillRegistry.of(skill)).hasMessageContaining("its SkillInfo says 'echo'");
    }

    @Test
    void shouldLeaveOutExcludedSkills() {
        SkillRegistry registry = SkillRegistry.of(List.of(new EchoSkill(), new SleepSkill()), Set.of("sleep"));
        assertThat(registry.names()).containsExactly("echo");
    }

    @Test
    void shouldHashTheCanonicalCatalogue() {
        // given two registries with the same skills in a different order
        SkillRegistry one = SkillRegistry.of(new EchoSkill(), new SleepSkill());
        SkillRegistry two = SkillRegistry.of(new SleepSkill(), new EchoSkill());

        // then their hashes agree, equal the canonical hash of the catalogue, and change with it
        assertThat(one.skillsHash()).isEqualTo(two.skillsHash())
                .isEqualTo(CanonicalJson.sha256Hex(Map.of("skills", one.catalogue())));
        assertThat(SkillRegistry.of(new EchoSkill()).skillsHash()).isNotEqualTo(one.skillsHash());
    }
}
