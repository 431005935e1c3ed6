package io.rxon.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.rxon.common.json.CanonicalJson;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.TaskResult;
import io.rxon.common.security.HmacSigner;
import io.rxon.common.security.MessageSigning;
import io.rxon.common.security.Signatures;
import io.rxon.common.security.ZeroTrustGate;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Canonical JSON + HMAC-SHA256 of a typical TaskResult, on both sides of the wire: what a worker
 * pays to sign a result ({@code MessageSigning.sign}), what the orchestrator pays to accept one
 * (parse, zero-trust gate with HMAC verification, decode), and the pieces they are made of. The
 * {@code baseline*} methods are not project code: they show what a cached {@link Mac} would save.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
public class SigningBench {

    private TaskResult result;
    private JsonNode unsignedTree;
    private byte[] canonical;
    private byte[] signedWire;
    private MessageSigning signing;
    private HmacSigner hmac;
    private ZeroTrustGate gate;
    private Mac cachedMac;

    @Setup
    public void setUp() throws GeneralSecurityException {
        result = Fixtures.typicalResult();
        unsignedTree = Json.tree(result);
        canonical = Signatures.signedBytes(unsignedTree, List.of());
        signing = new MessageSigning(new HmacSigner(Fixtures.TOKEN), Fixtures.WORKER_ID);
        signedWire = Json.write(signing.sign(result));
        hmac = new HmacSigner(Fixtures.TOKEN);
        gate = new ZeroTrustGate(Clock.fixed(Instant.ofEpochSecond(result.timestamp()), ZoneOffset.UTC));
        cachedMac = Mac.getInstance("HmacSHA256");
        cachedMac.init(new SecretKeySpec(Fixtures.TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }

    /** Worker side, whole: record to tree, canonical bytes, HMAC, hex, new record with security. */
    @Benchmark
    public TaskResult workerSignResult() {
        return signing.sign(result);
    }

    /** Worker side, then serialised for the wire (what HttpTransport.sendResult does before sending). */
    @Benchmark
    public byte[] workerSignAndWrite() {
        return Json.write(signing.sign(result));
    }

    /** Record to Jackson tree (the first step of signing). */
    @Benchmark
    public JsonNode recordToTree() {
        return Json.tree(result);
    }

    /** Canonical bytes of an existing tree (sorted keys, dropped nulls, float formatting). */
    @Benchmark
    public byte[] canonicalBytes() {
        return CanonicalJson.bytes(unsignedTree, List.of("security", "_signature"));
    }

    /** HMAC-SHA256 hex of canonical bytes as HmacSigner does it (Mac.getInstance + init per call). */
    @Benchmark
    public String hmacSign() {
        return hmac.sign(canonical);
    }

    /** The same HMAC with one Mac per thread reused: what HmacSigner would cost with a cached Mac. */
    @Benchmark
    public String baselineHmacCachedMac() {
        return HexFormat.of().formatHex(cachedMac.doFinal(canonical));
    }

    /** A fresh HmacSigner per message, as the orchestrator's SignatureKeys.forMessage builds one per request. */
    @Benchmark
    public boolean orchestratorVerifyFreshSigner() {
        return new HmacSigner(Fixtures.TOKEN).verify(canonical, hmac.sign(canonical));
    }

    /** Orchestrator side, whole: parse the body, zero-trust gate (timestamp, signer, HMAC), decode the record. */
    @Benchmark
    public TaskResult orchestratorAcceptResult() {
        JsonNode raw = Json.tree(signedWire);
        gate.check(raw, Fixtures.WORKER_ID, new HmacSigner(Fixtures.TOKEN), List.of());
        return Json.convert(raw, TaskResult.class);
    }

    /** The orchestrator's TaskResult to Map conversion for the JSONB column (JobService.apply). */
    @Benchmark
    public Object orchestratorResultToMap() {
        return Json.convert(result, java.util.Map.class);
    }
}
