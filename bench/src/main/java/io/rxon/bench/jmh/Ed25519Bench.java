package io.rxon.bench.jmh;

import io.rxon.common.json.Json;
import io.rxon.common.security.Ed25519Keys;
import io.rxon.common.security.Ed25519Signer;
import io.rxon.common.security.Ed25519Verifier;
import io.rxon.common.security.Signatures;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Ed25519 over the canonical bytes of a typical TaskResult (Keycloak workers' signatures): signing
 * with the JDK's EdDSA provider, verifying as the orchestrator does (Bouncy Castle) and, for
 * comparison, with the JDK provider.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
public class Ed25519Bench {

    private byte[] canonical;
    private Ed25519Signer signer;
    private Ed25519Verifier verifier;
    private String signature;
    private PublicKey publicKey;

    @Setup
    public void setUp() {
        canonical = Signatures.signedBytes(Json.tree(Fixtures.typicalResult()), List.of());
        KeyPair keys = Ed25519Keys.generate();
        signer = new Ed25519Signer(keys.getPrivate());
        verifier = new Ed25519Verifier(keys.getPublic());
        publicKey = keys.getPublic();
        signature = signer.sign(canonical);
    }

    @Benchmark
    public String sign() {
        return signer.sign(canonical);
    }

    @Benchmark
    public boolean verify() {
        return verifier.verify(canonical, signature);
    }

    @Benchmark
    public boolean baselineJdkVerify() throws GeneralSecurityException {
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(publicKey);
        jdk.update(canonical);
        return jdk.verify(HexFormat.of().parseHex(signature));
    }
}
