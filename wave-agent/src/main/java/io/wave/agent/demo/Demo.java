package io.wave.agent.demo;

import io.wave.agent.ml.Controller;
import io.wave.agent.ml.DecisionPath;
import io.wave.agent.ml.DeviceCommandSink;
import io.wave.agent.ml.ModelTrainer;
import io.wave.agent.ml.OnnxModel;
import io.wave.agent.ml.SyntheticBuilding;
import io.wave.crypto.EntityId;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.Revocation;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.device.BrokerAddress;
import io.wave.device.CommandClient;
import io.wave.device.CommandResult;
import io.wave.device.DeviceAgent;
import io.wave.device.ReplyCode;
import io.wave.device.ServingCheck;
import io.wave.device.broker.Broker;
import io.wave.device.broker.EmbeddedBroker;
import io.wave.device.sim.Thermostat;
import io.wave.ledger.Ledger;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.policy.Caveats;
import io.wave.policy.DecisionRecord;
import io.wave.policy.GrantCache;
import io.wave.policy.InferenceGate;
import io.wave.policy.Policy;
import io.wave.policy.ProofBuilder;
import io.wave.policy.ProofVerifier;
import io.wave.policy.ReasonCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The whole story with real objects and real messages, on the embedded defaults: a namespace owner
 * grants a facilities manager the building; the manager delegates a narrower, time-limited slice to a
 * contractor; the contractor's commands run inside the slice and are refused outside it; an occupancy
 * model trained here is granted a bounded setpoint range and drives the thermostat within it; a decision
 * outside the bound is refused; revoking the contractor's grant cuts off the live session.
 * Each step reports whether what it expected held.
 */
public final class Demo {
    static final String SETPOINT = "building1/floor2/hvac/setpoint";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long the revocation step keeps sending before it calls the session not cut off: only a device that
     * never reads the ledger reaches it, so a busy machine does not fail the demo (the device reads every 200 ms).
     */
    static final Duration REVOCATION_PATIENCE = Duration.ofSeconds(60);

    /** One step of the story: what it showed, whether that was what was expected, and its evidence. */
    public record Step(int number, String what, boolean ok, String detail, long millis) {}

    private final Path work;
    private final Clock clock;
    private final SecureRandom random;
    private final Consumer<Step> out;
    private final List<Step> steps = new ArrayList<>();
    private long started = System.nanoTime();

    public Demo(Path work, Clock clock, SecureRandom random, Consumer<Step> out) {
        this.work = Objects.requireNonNull(work, "work");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.out = Objects.requireNonNull(out, "out");
    }

    private boolean step(String what, boolean ok, String detail) {
        long now = System.nanoTime();
        Step s = new Step(steps.size() + 1, what, ok, detail, (now - started) / 1_000_000);
        started = now;
        steps.add(s);
        out.accept(s);
        return ok;
    }

    /** Runs the story; true only when every step held. {@code broker} null starts the embedded one. */
    public boolean run(BrokerAddress brokerOrNull) {
        long now = clock.instant().getEpochSecond();
        Validity year = Validity.ofSeconds(now - 60, now + 365L * 86_400);
        EntitySecret owner = EntitySecret.create(random, year);
        EntitySecret manager = EntitySecret.create(random, year);
        EntitySecret contractor = EntitySecret.create(random, year);
        EntitySecret device = EntitySecret.create(random, year);
        EntitySecret model = EntitySecret.create(random, year);
        EntityId ns = owner.id();
        Broker embedded = null;
        try (Ledger ledger = EmbeddedLedger.open(work.resolve("ledger"), clock)) {
            BrokerAddress broker = brokerOrNull;
            if (broker == null) {
                embedded = EmbeddedBroker.start();
                broker = embedded.address();
            }
            ledger.publishAll(List.of(entity(owner), entity(manager), entity(contractor), entity(device), entity(model)));
            step("ledger and broker up; five entities published: owner (namespace), manager, contractor, thermostat, model",
                    true, "ledger " + work.resolve("ledger") + ", broker " + broker.serverUri()
                            + (embedded != null ? " (embedded)" : ""));

            Attestation ownerToManager = grant(owner, manager, ns, "device", List.of("actuate", "read"), "building1/*", 1,
                    year, List.of());
            ledger.publish(ObjectKind.ATTESTATION, ownerToManager.encoded());
            step("the owner grants the manager device:read,actuate on building1/*, re-delegable one hop", true,
                    "attestation " + ownerToManager.id());
            Validity shift = Validity.ofSeconds(now - 60, now + 12 * 3600);
            Attestation managerToContractor = grant(manager, contractor, ns, "device", List.of("actuate"),
                    "building1/floor2/+/setpoint", 0, shift, List.of("setpoint in [18,26]"));
            ledger.publish(ObjectKind.ATTESTATION, managerToContractor.encoded());
            step("the manager delegates a narrower slice: setpoints on floor 2, 12 hours, setpoint in [18,26]", true,
                    "attestation " + managerToContractor.id());

            // The owner says which entity is the thermostat: the contractor's client, which pins no device,
            // accepts replies only from an entity granted device:serve on the setpoint.
            Attestation ownerToDevice = grant(owner, device, ns, "device", List.of("serve"), SETPOINT, 0, year, List.of());
            ledger.publish(ObjectKind.ATTESTATION, ownerToDevice.encoded());
            Thermostat thermostat = new Thermostat(20, 20);
            // A thermostat made a moment ago has served nothing: its nonce journal starts empty.
            Path deviceState = work.resolve("device-state");
            DeviceAgent.provisionState(deviceState, device.id());
            try (DeviceAgent agent = thermostat.serve(DeviceAgent.builder().entity(device).namespace(ns).broker(broker)
                            .ledger(ledger).clock(clock).stateDirectory(deviceState), SETPOINT).start();
                    CommandClient asContractor = CommandClient.connect(contractor, broker, clock, random,
                            ServingCheck.fromLedger(ledger, clock));
                    CommandClient asModel = CommandClient.connect(model, broker, clock, random)) {
                UnverifiedProof contractorProof = prove(ledger, contractor.id(), "device:actuate@" + ns + "/" + SETPOINT);
                step("the owner grants a thermostat device:serve on " + SETPOINT + " and it serves it; the contractor "
                        + "builds a proof from the ledger", true, "device " + agent.id() + ", serve grant "
                        + ownerToDevice.id() + ", proof " + contractorProof.id());

                CommandResult ok = set(asContractor, ns, contractorProof, "21.5");
                step("the contractor sets 21.5: accepted, the thermostat changes", ok.accepted()
                        && thermostat.setpoint() == 21.5 && ok.device().equals(agent.id()), ok.rawCode() + ": " + ok.detail());
                CommandResult hot = set(asContractor, ns, contractorProof, "30");
                step("the contractor sets 30: refused, outside the caveat, nothing changes",
                        hot.code() == ReplyCode.CAVEAT_VIOLATED && thermostat.setpoint() == 21.5,
                        hot.rawCode() + ": " + hot.detail());
                CommandResult read = asContractor.send(ns, SETPOINT, "read", Map.of(), contractorProof, null, TIMEOUT);
                step("the contractor reads the thermostat: refused, only actuate was delegated",
                        read.code() == ReplyCode.PERMISSION_NOT_GRANTED, read.rawCode() + ": " + read.detail());

                Attestation ownerToModel = grant(owner, model, ns, "device", List.of("actuate"), SETPOINT, 0, year,
                        List.of("setpoint in [18,26]", "confidence >= 0.8"));
                ledger.publish(ObjectKind.ATTESTATION, ownerToModel.encoded());
                Path csv = work.resolve("building.csv");
                Files.writeString(csv, SyntheticBuilding.csv(2026, 2000));
                ModelTrainer.Result trained = ModelTrainer.train(csv, SyntheticBuilding.LABEL);
                UnverifiedProof modelProof = prove(ledger, model.id(), "device:actuate@" + ns + "/" + SETPOINT);
                step("an occupancy model is trained here (logistic regression, " + Math.round(trained.trainingAccuracy() * 1000) / 10.0
                        + "% on its data) and granted setpoint in [18,26] with confidence >= 0.8", true,
                        "attestation " + ownerToModel.id());
                try (OnnxModel onnx = OnnxModel.load(trained.onnx())) {
                    List<CommandResult> sent = new ArrayList<>();
                    DecisionPath path = new DecisionPath(new InferenceGate(ProofVerifier.create(clock,
                            ledger.revocationView()).withCache(new GrantCache(100))), r -> { },
                            new DeviceCommandSink(asModel, "set", agent.id(), TIMEOUT, sent::add), clock);
                    Controller occupied = new Controller(onnx, path, model.id(), Policy.parse("device:actuate@" + ns + "/"
                            + SETPOINT), modelProof, "setpoint", Map.of("occupied", new java.math.BigDecimal("22.5"), "vacant", new java.math.BigDecimal("16")));
                    Controller.Step busy = occupied.step(row(onnx, 10.5, 5.0, 950));
                    step("the model sees an occupied room and decides 22.5: within its grant, the thermostat follows",
                            busy.record() != null && busy.record().reason() == ReasonCode.VALID && sent.size() == 1
                                    && sent.get(0).accepted() && thermostat.setpoint() == 22.5,
                            busy.prediction().label() + " (" + round(busy.prediction().confidence()) + ") -> "
                                    + (sent.isEmpty() ? "not sent" : sent.get(0).rawCode()));
                    Controller.Step empty = occupied.step(row(onnx, 3.0, 0.0, 420));
                    DecisionRecord r = empty.record();
                    step("the model sees an empty room and decides 16: outside its grant, refused and never sent",
                            r != null && r.reason() == ReasonCode.CAVEAT_VIOLATED && sent.size() == 1
                                    && thermostat.setpoint() == 22.5,
                            empty.prediction().label() + " (" + round(empty.prediction().confidence()) + ") -> "
                                    + (r == null ? "no decision" : r.reason() + ": " + r.detail()));
                }

                ledger.publish(ObjectKind.REVOCATION, new Revocation(
                        manager.attestationRevocationSecret(managerToContractor.body().nonce())).encode());
                long revoked = System.nanoTime();
                CommandResult after;
                do {
                    after = set(asContractor, ns, contractorProof, "23");
                } while (after.accepted() && System.nanoTime() - revoked < REVOCATION_PATIENCE.toNanos());
                long ms = (System.nanoTime() - revoked) / 1_000_000;
                // The step holds on the outcome; the latency is shown, and measured in `wave bench device`.
                step("the manager revokes the contractor's grant: the live session is cut off",
                        after.code() == ReplyCode.REVOKED, after.rawCode() + " after " + ms + " ms, "
                                + "without reconnecting");
            }
        } catch (WaveException | java.io.IOException e) {
            step("the story could not go on", false, e.getMessage());
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        return steps.stream().allMatch(Step::ok);
    }

    private static Ledger.Publication entity(EntitySecret e) {
        return new Ledger.Publication(ObjectKind.ENTITY, e.entity().encoded());
    }

    private Attestation grant(EntitySecret from, EntitySecret to, EntityId ns, String pset, List<String> perms,
            String resource, int indirections, Validity validity, List<String> caveats) {
        byte[] nonce = Attestation.newNonce(random);
        return Attestation.sign(new AttestationBody(from.id(), to.id(), ns, new io.wave.crypto.objects.PermissionSetRef.Builtin(pset),
                perms, resource, indirections, validity, caveats.stream().map(Caveats::parse).toList(),
                from.attestationRevocationSecret(nonce).commitment(), nonce, List.of()), from);
    }

    private UnverifiedProof prove(Ledger ledger, EntityId subject, String policy) {
        ProofBuilder.Result r = ProofBuilder.create(ledger.attestationSource(), clock, ledger.revocationView())
                .build(subject, List.of(Policy.parse(policy)));
        if (r instanceof ProofBuilder.Found f) {
            return f.proof();
        }
        throw new WaveException(io.wave.crypto.ErrorCode.NO_PROOF, ((ProofBuilder.NotFound) r).detail());
    }

    /** A set from a client that pins no device: the reply counts only from the entity serving the setpoint. */
    private static CommandResult set(CommandClient c, EntityId ns, UnverifiedProof proof, String value) {
        return c.send(ns, SETPOINT, "set", Map.of("setpoint", ParamValue.number(value)), proof, null, TIMEOUT);
    }

    /** A sensor row by the model's feature names (the synthetic building's hour, motion and CO2). */
    private static float[] row(OnnxModel m, double hour, double motion, double co2) {
        List<String> names = m.signature().featureNames();
        float[] f = new float[names.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) switch (names.get(i)) {
                case "hour" -> hour;
                case "motion" -> motion;
                case "co2" -> co2;
                default -> throw new IllegalStateException("unexpected feature " + names.get(i));
            };
        }
        return f;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
