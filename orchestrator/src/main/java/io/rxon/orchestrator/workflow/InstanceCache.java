package io.rxon.orchestrator.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The step records of the instances this process advanced last, each under the revision that
 * advance wrote to its {@code workflow_instances} row: a step end then loads only the step that
 * changed, not the instance's whole history. The row is the truth: records are used only while
 * their revision is the row's (another replica's advance or a rolled-back one writes another), and
 * they are taken out for the length of an advance, so an advance that fails half-way never leaves
 * records behind that its rollback undid. All under the workflow job's row lock, which serialises
 * advances of one instance.
 */
@ApplicationScoped
class InstanceCache {

    /** Instances kept; the least recently advanced are dropped first (they load their steps again). */
    static final int CAPACITY = 4096;

    private record Entry(String revision, TreeMap<String, StepRecord> records) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The records kept for {@code jobId} at {@code revision}, taken out; null when none or another revision. */
    synchronized TreeMap<String, StepRecord> take(String jobId, String revision) {
        Entry entry = entries.remove(jobId);
        return entry != null && revision != null && entry.revision().equals(revision) ? entry.records() : null;
    }

    /** Keeps the records an advance ended with, under the revision it wrote. */
    synchronized void put(String jobId, String revision, TreeMap<String, StepRecord> records) {
        entries.put(jobId, new Entry(revision, records));
    }

    synchronized void forget(String jobId) {
        entries.remove(jobId);
    }
}
