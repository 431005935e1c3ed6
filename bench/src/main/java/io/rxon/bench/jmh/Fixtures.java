package io.rxon.bench.jmh;

import io.rxon.common.protocol.HardwareDevice;
import io.rxon.common.protocol.InstalledArtifact;
import io.rxon.common.protocol.Resources;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.protocol.WorkerCapabilities;
import io.rxon.common.protocol.WorkerRegistration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Typical protocol objects: a TaskResult as an echo/hash worker sends it, and a fleet of 1,000 workers. */
final class Fixtures {

    static final String TOKEN = "bench-worker-token-3f9c2a7e5b1d4c6a8e0f";
    static final String WORKER_ID = "worker-gpu-017";

    private Fixtures() {}

    /** About 500 bytes on the wire once signed: ids, a small nested result, metadata and costs. */
    static TaskResult typicalResult() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("echo", Map.of("text", "hello, rxon", "sent_ns", 1_234_567_890_123L));
        data.put("sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        data.put("scores", List.of(0.125, 0.5, 0.875, 1.0));
        data.put("duration_ms", 12.75);
        data.put("ok", true);
        return new TaskResult("6f1c7d2e-8a3b-4c5d-9e0f-1a2b3c4d5e6f", "0b9a8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d",
                WORKER_ID, WORKER_ID, "success", data, null, null, null,
                Map.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "attempt", 1), 1_767_225_600L,
                Map.of("cpu_seconds", 0.42));
    }

    /** 1,000 registrations: a fifth with GPUs of several models and sizes, skills from a small catalogue. */
    static List<WorkerRegistration> fleet(int size) {
        Random random = new Random(42);
        String[][] gpus = {{"NVIDIA GeForce RTX 4090", "24"}, {"NVIDIA A100-SXM4-80GB", "80"},
            {"NVIDIA GeForce RTX 3060", "12"}, {"NVIDIA L4", "24"}};
        String[] skillNames = {"echo", "sha256", "resize", "transcode", "embed", "sleep"};
        List<WorkerRegistration> fleet = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            List<HardwareDevice> devices = new ArrayList<>();
            if (i % 5 == 0) {
                String[] gpu = gpus[random.nextInt(gpus.length)];
                devices.add(new HardwareDevice("gpu", gpu[0], "0", Map.of("vram_gb", Integer.parseInt(gpu[1])), null));
            }
            List<SkillInfo> skills = new ArrayList<>();
            for (String name : skillNames) {
                if (random.nextInt(3) > 0 || "echo".equals(name)) {
                    skills.add(new SkillInfo(name, "compute", null, "1.0", null, null, null, null, null, null));
                }
            }
            Map<String, Object> properties = Map.of("cpu_cores", 2 + random.nextInt(62), "ram_gb",
                    4 + random.nextInt(252), "tags", List.of(i % 2 == 0 ? "eu" : "us", "spot"));
            fleet.add(new WorkerRegistration("worker-" + i, null, skills, null, null,
                    new Resources(devices.isEmpty() ? null : devices, properties),
                    Map.of("python", "3.12", "cuda", "12.4"),
                    List.of(new InstalledArtifact("resnet50", "1.0", "model", null)),
                    new WorkerCapabilities("host-" + i, null, null, null, Map.of("push_dispatch", true)),
                    null, null, null, 1_767_225_600L));
        }
        return fleet;
    }

    /** The README's GPU requirement: an RTX 4090 with at least 16 GB. */
    static Map<String, Object> gpuRequirementJson() {
        return Map.of("resources", Map.of("devices",
                List.of(Map.of("type", "gpu", "model", "rtx 4090", "properties", Map.of("vram_gb", 16)))));
    }

    /** Host properties, software and an artifact: every rule of the matcher is exercised. */
    static Map<String, Object> richRequirementJson() {
        return Map.of("resources", Map.of("properties", Map.of("cpu_cores", 16, "ram_gb", 64, "tags", List.of("eu"))),
                "installed_software", Map.of("python", "any"),
                "installed_artifacts", List.of("resnet50"),
                "skill_version", "1.0");
    }
}
