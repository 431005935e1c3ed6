package io.rxon.worker.testing;

import io.rxon.common.protocol.ErrorCode;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.worker.skill.Skill;
import io.rxon.worker.skill.SkillContext;
import io.rxon.worker.skill.SkillDescriptor;
import io.rxon.worker.skill.SkillException;
import io.rxon.worker.skill.SkillResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Skills with controllable behaviour for runtime tests. */
public final class TestSkills {

    private TestSkills() {}

    /**
     * {@code block}: holds its task until {@link #release()} (or cancellation), counting how many
     * tasks run at once.
     */
    public static final class BlockingSkill implements Skill {
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger peak = new AtomicInteger();
        private final AtomicInteger started = new AtomicInteger();

        @Override
        public SkillInfo info() {
            return SkillDescriptor.builder("block").build();
        }

        @Override
        public SkillResult execute(SkillContext context) throws InterruptedException {
            int now = running.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            started.incrementAndGet();
            try {
                while (!released.await(10, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    context.checkCancelled();
                }
                return SkillResult.of(Map.of("task", context.taskId()));
            } finally {
                running.decrementAndGet();
            }
        }

        public void release() {
            released.countDown();
        }

        public int running() {
            return running.get();
        }

        public int peak() {
            return peak.get();
        }

        public int started() {
            return started.get();
        }
    }

    /** {@code fail}: throws what its params say ({@code code} = an ErrorCode, else a plain exception). */
    public static final class FailingSkill implements Skill {
        @Override
        public SkillInfo info() {
            return SkillDescriptor.builder("fail").build();
        }

        @Override
        public SkillResult execute(SkillContext context) {
            Object code = context.params().get("code");
            if (code instanceof String name) {
                throw new SkillException(ErrorCode.valueOf(name), "asked to fail with " + name);
            }
            throw new IllegalStateException("boom");
        }
    }

    /** {@code stubborn}: ignores cancellation and interrupts until {@link #finish()} (a skill that never checks). */
    public static final class StubbornSkill implements Skill {
        private final CountDownLatch finish = new CountDownLatch(1);

        @Override
        public SkillInfo info() {
            return SkillDescriptor.builder("stubborn").build();
        }

        @Override
        public SkillResult execute(SkillContext context) {
            boolean interrupted = false;
            while (true) {
                try {
                    if (finish.await(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return SkillResult.of(Map.of("interrupted", interrupted));
        }

        public void finish() {
            finish.countDown();
        }
    }
}
