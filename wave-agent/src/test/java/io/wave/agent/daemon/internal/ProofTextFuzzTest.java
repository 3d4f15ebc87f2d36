package io.wave.agent.daemon.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wave.crypto.Pem;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.UnverifiedProof;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing (Jazzer) of the proof as text: a proof file as {@code wave prove} writes it (comment
 * lines, then PEM), PEM alone, or base64 DER, read the way the agent's {@code POST /v1/verify} reads it and the
 * way the CLI reads a file ({@link Pem#decodeFile}). Only {@link WaveException} may come out, and the two
 * readers agree on every PEM text both accept. See docs/fuzzing.md.
 */
class ProofTextFuzzTest {

    @FuzzTest
    void proofText(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        UnverifiedProof viaAgent = decoded(() -> UnverifiedProof.decode(AgentCore.proofBytes(text)));
        UnverifiedProof viaFile = decoded(() -> {
            for (Pem.Block b : Pem.decodeFile(input, Pem.PROOF)) {
                if (b.type().equals(Pem.PROOF)) {
                    return UnverifiedProof.decode(b.der());
                }
            }
            throw WaveException.malformed("no WAVE PROOF block");
        });
        if (viaAgent != null && viaFile != null && text.contains("-----BEGIN")) {
            assertArrayEquals(viaAgent.encoded(), viaFile.encoded());
        }
    }

    private static UnverifiedProof decoded(java.util.function.Supplier<UnverifiedProof> read) {
        try {
            return read.get();
        } catch (WaveException refused) {
            return null;
        }
    }
}
