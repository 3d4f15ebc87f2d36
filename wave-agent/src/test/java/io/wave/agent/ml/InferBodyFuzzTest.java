package io.wave.agent.ml;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wave.crypto.testing.TestEntities;
import io.wave.ledger.server.JsonHttp;
import io.wave.ledger.testing.ClientBodies;
import io.wave.policy.GrantCache;
import io.wave.policy.InferenceGate;
import io.wave.policy.ModelRef;
import io.wave.policy.ProofVerifier;
import io.wave.policy.RevocationView;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing (Jazzer) of the inference server's JSON body, {@code POST /v1/infer}: the body goes
 * through what the handler does ({@link JsonHttp#parse} with the server's mapper, then
 * {@link InferenceServer#outcome}: caller, features, proof text, gate) and whatever fails must map to a 4xx and
 * the one error body, never a 5xx. The model is a stub of three features (the gate, not the model, is under
 * test). In-process rather than over HTTP, so that a million bodies take minutes; the HTTP wrapping is
 * covered by {@code InferenceServerTest}. See docs/fuzzing.md.
 */
class InferBodyFuzzTest {
    private static final ModelSignature SIGNATURE = new ModelSignature("input", 3, List.of("co2", "temp", "hour"),
            List.of("empty", "occupied"), "label", null);
    private static final Model STUB = new Model() {
        @Override
        public ModelSignature signature() {
            return SIGNATURE;
        }

        @Override
        public Prediction predict(float[] features) {
            return new Prediction(features[0] > 800 ? "occupied" : "empty", 0.9, Map.of());
        }
    };
    private static final InferenceServer SERVER = server();

    @FuzzTest
    void inferBody(byte[] body) {
        try {
            SERVER.outcome(JsonHttp.parse(body, SERVER.json, InferenceServer.InferRequest.class));
        } catch (Exception e) {
            ClientBodies.assertRefusedAsClientError(e);
        }
    }

    private static InferenceServer server() {
        ModelRef ref = new ModelRef(TestEntities.create("fuzz/namespace").id(), "occupancy");
        ProofVerifier verifier = ProofVerifier.create(Clock.systemUTC(), RevocationView.NONE)
                .withCache(new GrantCache(GrantCache.DEFAULT_CAPACITY));
        InferenceService service = new InferenceService(ref, TestEntities.create("fuzz/model").id(), STUB,
                new InferenceGate(verifier), record -> { }, Clock.systemUTC());
        return InferenceServer.create(service, c -> { });
    }
}
