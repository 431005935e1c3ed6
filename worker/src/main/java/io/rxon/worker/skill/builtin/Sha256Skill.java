package io.rxon.worker.skill.builtin;

import io.rxon.common.protocol.SkillInfo;
import io.rxon.worker.skill.Skill;
import io.rxon.worker.skill.SkillContext;
import io.rxon.worker.skill.SkillDescriptor;
import io.rxon.worker.skill.SkillResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Built-in {@code sha256}: the SHA-256 digest of inline text ({@code data}), inline bytes
 * ({@code data_base64}) or a blob ({@code uri}, an {@code s3://} reference streamed through
 * {@link SkillContext#blobs()} and checked against the task's {@code params_metadata}: a blob of
 * any size is hashed in constant memory). For demos and benchmarks of the blob path.
 */
@ApplicationScoped
public class Sha256Skill implements Skill {

    public static final String NAME = "sha256";
    private static final int BUFFER = 64 * 1024;

    private static final SkillInfo INFO = SkillDescriptor.builder(NAME)
            .type("builtin")
            .description("SHA-256 of inline text, inline base64 bytes or an s3:// blob.")
            .version("1.0")
            .inputSchema("""
                    {"type": "object",
                     "properties": {
                       "data": {"type": "string"},
                       "data_base64": {"type": "string"},
                       "uri": {"type": "string", "pattern": "^s3://[^/]+/.+"}},
                     "additionalProperties": false,
                     "oneOf": [{"required": ["data"]}, {"required": ["data_base64"]}, {"required": ["uri"]}]}
                    """)
            .outputSchema("""
                    {"type": "object",
                     "required": ["sha256", "size"],
                     "properties": {
                       "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                       "size": {"type": "integer", "minimum": 0},
                       "source": {"enum": ["data", "data_base64", "uri"]}}}
                    """)
            .build();

    @Override
    public SkillInfo info() {
        return INFO;
    }

    @Override
    public SkillResult execute(SkillContext context) throws IOException {
        Map<String, Object> params = context.params();
        if (params.get("data") instanceof String text) {
            return digest(text.getBytes(StandardCharsets.UTF_8), "data");
        }
        if (params.get("data_base64") instanceof String encoded) {
            return digest(Base64.getDecoder().decode(encoded.strip()), "data_base64");
        }
        return digestBlob(context, (String) params.get("uri"));
    }

    private static SkillResult digestBlob(SkillContext context, String uri) throws IOException {
        MessageDigest sha256 = sha256();
        long size = 0;
        try (InputStream in = context.blobs().open(uri)) {
            byte[] buffer = new byte[BUFFER];
            for (int read; (read = in.read(buffer)) >= 0; ) {
                context.checkCancelled();
                sha256.update(buffer, 0, read);
                size += read;
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        context.progress(1.0, "hashed " + size + " bytes of " + uri);
        return result(HexFormat.of().formatHex(sha256.digest()), size, "uri");
    }

    private static SkillResult digest(byte[] bytes, String source) {
        return result(HexFormat.of().formatHex(sha256().digest(bytes)), bytes.length, source);
    }

    private static SkillResult result(String hex, long size, String source) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sha256", hex);
        data.put("size", size);
        data.put("source", source);
        return SkillResult.of(data);
    }

    private static MessageDigest sha256() {
        return digest("SHA-256");
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is mandatory in every JRE", e);
        }
    }
}
