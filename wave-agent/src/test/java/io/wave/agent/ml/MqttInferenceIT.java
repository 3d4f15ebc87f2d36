package io.wave.agent.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.Validity;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.PermissionSetRef;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.device.CommandClient;
import io.wave.device.CommandResult;
import io.wave.device.DeviceAgent;
import io.wave.device.ReplyCode;
import io.wave.device.broker.MosquittoBroker;
import io.wave.policy.DecisionRecord;
import io.wave.policy.GrantCache;
import io.wave.policy.InferenceGate;
import io.wave.policy.ModelRef;
import io.wave.policy.ProofVerifier;
import io.wave.policy.testing.TestRevocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inference over MQTT on a real Mosquitto: a signed request under a proof of {@code ml:infer} on the model
 * gets a reply signed by the model's entity; a proof for another model, or none that reaches the caller,
 * is refused before the model runs, and every answer is audited.
 */
class MqttInferenceIT {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void signedRequestsUnderMlInferAreAnswered_othersRefusedWithoutRunningTheModel() throws Exception {
        if (MosquittoBroker.find().isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("mosquitto is not installed; .ci/run installs it");
            }
            Assumptions.abort("mosquitto is not installed on this machine");
        }
        Path csv = dir.resolve("building.csv");
        Files.writeString(csv, SyntheticBuilding.csv(11, 2000));
        CountingModel model = new CountingModel(OnnxModel.load(ModelTrainer.train(csv, SyntheticBuilding.LABEL).onnx()));
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        long now = clock.instant().getEpochSecond();
        Validity validity = Validity.ofSeconds(now - 3600, now + 86_400);
        EntitySecret owner = EntitySecret.create(random, validity);
        EntitySecret caller = EntitySecret.create(random, validity);
        EntitySecret modelEntity = EntitySecret.create(random, validity);
        ModelRef occupancy = new ModelRef(owner.id(), "occupancy");
        UnverifiedProof right = proof(owner, caller, "models/occupancy", random, validity);
        UnverifiedProof other = proof(owner, caller, "models/energy", random, validity);
        List<DecisionRecord> audit = new ArrayList<>();
        TestRevocations revocations = new TestRevocations();
        InferenceService service = new InferenceService(occupancy, modelEntity.id(), model,
                new InferenceGate(ProofVerifier.create(clock, revocations).withCache(new GrantCache(100))), audit::add, clock);
        Map<String, ParamValue> occupiedRow = Map.of("hour", ParamValue.number("10.5"), "motion", ParamValue.number("4"),
                "co2", ParamValue.number("900"));
        DeviceAgent.provisionState(dir.resolve("device-state"), modelEntity.id());
        try (MosquittoBroker broker = MosquittoBroker.start();
                DeviceAgent agent = MqttInference.serve(DeviceAgent.builder().entity(modelEntity).namespace(owner.id())
                        .broker(broker.address()).revocations(revocations)
                        .stateDirectory(dir.resolve("device-state")), service).start();
                CommandClient client = CommandClient.connect(caller, broker.address(), clock, random)) {
            CommandResult ok = client.send(owner.id(), "models/occupancy", "infer", occupiedRow, right, modelEntity.id(),
                    TIMEOUT);
            assertTrue(ok.accepted(), ok::detail);
            assertEquals(new ParamValue.Text("occupied"), ok.results().get("label"));
            assertTrue(ok.results().get("confidence") instanceof ParamValue.Number n && n.toDouble() > 0.5);
            assertEquals(1, model.runs());

            CommandResult wrong = client.send(owner.id(), "models/occupancy", "infer", occupiedRow, other,
                    modelEntity.id(), TIMEOUT);
            assertEquals(ReplyCode.RESOURCE_NOT_COVERED, wrong.code());
            CommandResult missing = client.send(owner.id(), "models/occupancy", "infer", Map.of("hour",
                    ParamValue.number("1")), right, modelEntity.id(), TIMEOUT);
            assertEquals(ReplyCode.HANDLER_ERROR, missing.code());
            assertTrue(missing.detail().contains("co2"), missing.detail());
            assertEquals(1, model.runs(), "refused requests cost no inference");
            assertEquals(1, audit.size());
            assertEquals(caller.id(), audit.get(0).subject());
        }
    }

    static UnverifiedProof proof(EntitySecret owner, EntitySecret subject, String resource, SecureRandom random,
            Validity validity) {
        byte[] nonce = Attestation.newNonce(random);
        Attestation g = Attestation.sign(new AttestationBody(owner.id(), subject.id(), owner.id(),
                new PermissionSetRef.Builtin("ml"), List.of("infer"), resource, 0, validity, List.of(),
                owner.attestationRevocationSecret(nonce).commitment(), nonce, List.of()), owner);
        return UnverifiedProof.assemble(List.of(owner.entity(), subject.entity()), List.of(g), List.of(List.of(0)));
    }
}
