package io.wave.agent.bench;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.Validity;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.Command;
import io.wave.crypto.objects.CommandBody;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.PermissionSetRef;
import io.wave.crypto.objects.Revocation;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.crypto.objects.UnverifiedReply;
import io.wave.device.BrokerAddress;
import io.wave.device.CommandClient;
import io.wave.device.CommandResult;
import io.wave.device.DeviceAgent;
import io.wave.device.HandlerResult;
import io.wave.device.ReplyCode;
import io.wave.device.Topics;
import io.wave.device.broker.Broker;
import io.wave.device.broker.EmbeddedBroker;
import io.wave.device.broker.MosquittoBroker;
import io.wave.device.internal.MqttLink;
import io.wave.ledger.Ledger;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.embedded.EmbeddedLedger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Gated MQTT commands against the same commands with verification switched off, on one broker (Mosquitto
 * when installed, else the embedded one), in one run:
 * <ul>
 *   <li>{@code latency}: round trips one at a time, gated and ungated interleaved command by command,
 *       with a warm device (the proof held and its grants cached): p50 and p99 of each and their ratio;</li>
 *   <li>{@code throughput}: gated commands per second one device agent serves (and, as the transport's
 *       own limit on this machine, the same load on the ungated device), from pre-signed commands
 *       (the load generator's signing is kept out of the timed window, since it shares the two cores) and
 *       replies counted on arrival, then every reply's signature and code checked after the window;</li>
 *   <li>{@code revocation}: milliseconds from a revocation's durable publication on the ledger to the first
 *       refusal of a live client's next command, over several trials.</li>
 * </ul>
 */
public final class DeviceBench {
    static final String GATED = "bench/gated/setpoint";
    static final String OPEN = "bench/open/setpoint";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Commands the load generator keeps in flight: a quarter of the device's default queue. */
    static final int WINDOW = DeviceAgent.DEFAULT_QUEUE / 4;

    private DeviceBench() {}

    public static Map<String, Object> run(Path work, boolean quick) {
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        long now = clock.instant().getEpochSecond();
        Validity validity = Validity.ofSeconds(now - 3600, now + 86_400);
        EntitySecret owner = EntitySecret.create(random, validity);
        EntitySecret sender = EntitySecret.create(random, validity);
        EntitySecret device = EntitySecret.create(random, validity);
        EntitySecret openDevice = EntitySecret.create(random, validity);
        Map<String, Object> out = new LinkedHashMap<>();
        Broker broker = MosquittoBroker.find().isPresent() ? MosquittoBroker.start() : EmbeddedBroker.start();
        try (broker; Ledger ledger = EmbeddedLedger.open(work.resolve("ledger"), clock)) {
            out.put("broker", broker.description());
            // On, as in any device agent: the sender's key and the device's own get comb tables (see HotKeys).
            out.put("hot_key_tables", io.wave.crypto.internal.HotKeys.enabled());
            Attestation grant = grant(owner, sender, "bench/*", random, validity);
            ledger.publishAll(List.of(new Ledger.Publication(ObjectKind.ENTITY, owner.entity().encoded()),
                    new Ledger.Publication(ObjectKind.ENTITY, sender.entity().encoded()),
                    new Ledger.Publication(ObjectKind.ATTESTATION, grant.encoded())));
            UnverifiedProof proof = UnverifiedProof.assemble(List.of(owner.entity(), sender.entity()), List.of(grant),
                    List.of(List.of(0)));
            HandlerResult done = HandlerResult.ok("done");
            // The gated device keeps its nonces on disk, as a real one does (a write() per command); it is
            // new, so it takes commands at once. The open one checks nothing, nonces included.
            Path state = work.resolve("device-state");
            DeviceAgent.provisionState(state, device.id());
            try (DeviceAgent gated = DeviceAgent.builder().entity(device).namespace(owner.id()).broker(broker.address())
                            .ledger(ledger).stateDirectory(state).on(GATED, "set", "device:actuate", inv -> done).start();
                    DeviceAgent open = DeviceAgent.builder().entity(openDevice).namespace(owner.id())
                            .broker(broker.address()).revocations(c -> io.wave.policy.RevocationView.Status.NOT_REVOKED)
                            .volatileState().unverifiedForBenchmark().on(OPEN, "set", "device:actuate", inv -> done)
                            .start();
                    CommandClient client = CommandClient.connect(sender, broker.address(), clock, random)) {
                out.put("latency", latency(client, owner.id(), proof, gated.id(), open.id(), quick ? 300 : 3000));
                java.util.function.LongSupplier brokerCpu = () -> broker.processCpu().map(Duration::toNanos).orElse(-1L);
                // The load generator's own path (its link, its callback) compiled before anything is timed.
                throughput(broker.address(), brokerCpu, sender, owner.id(), proof, open, OPEN, quick ? 500 : 4000,
                        random, clock);
                Map<String, Object> t = throughput(broker.address(), brokerCpu, sender, owner.id(), proof, gated, GATED,
                        quick ? 2000 : 20000, random, clock);
                Map<String, Object> u = throughput(broker.address(), brokerCpu, sender, owner.id(), proof, open, OPEN,
                        quick ? 2000 : 20000, random, clock);
                // The same load on the device without checks: what the transport alone allows on this machine.
                t.put("ungated_per_second", u.get("gated_per_second"));
                t.put("gated_over_ungated", Timing.round3(((Number) t.get("gated_per_second")).doubleValue()
                        / ((Number) u.get("gated_per_second")).doubleValue()));
                t.put("ungated_device_cpu_us_per_command", u.get("device_cpu_us_per_command"));
                out.put("throughput", t);
                out.put("revocation", revocation(ledger, client, owner, sender, gated.id(), quick ? 3 : 10, random,
                        validity));
            }
        }
        return out;
    }

    /** CPU time of the live threads whose names contain {@code mark} (a device agent's: see DeviceAgent's thread names). */
    private static long threadCpuNanos(String mark) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains(mark)) {
                long c = mx.getThreadCpuTime(t.getId());
                sum += Math.max(0, c);
            }
        }
        return sum;
    }

    /** CPU time of this whole JVM so far. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    static Attestation grant(EntitySecret owner, EntitySecret subject, String resource, SecureRandom random,
            Validity validity) {
        byte[] nonce = Attestation.newNonce(random);
        return Attestation.sign(new AttestationBody(owner.id(), subject.id(), owner.id(), new PermissionSetRef.Builtin("device"),
                List.of("actuate"), resource, 0, validity, List.of(),
                owner.attestationRevocationSecret(nonce).commitment(), nonce, List.of()), owner);
    }

    private static Map<String, Object> latency(CommandClient client, EntityId ns, UnverifiedProof proof, EntityId gated,
            EntityId open, int n) {
        Map<String, ParamValue> params = Map.of("setpoint", ParamValue.number("21"));
        // Warm both paths (JIT, the held proof, the grant cache) before measuring.
        for (int i = 0; i < Math.max(200, n / 5); i++) {
            expectOk(client.send(ns, GATED, "set", params, proof, gated, TIMEOUT));
            expectOk(client.send(ns, OPEN, "set", params, proof, open, TIMEOUT));
        }
        double[] g = new double[n];
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            // Alternate which goes first so neither always follows the other.
            if ((i & 1) == 0) {
                g[i] = micros(expectOk(client.send(ns, GATED, "set", params, proof, gated, TIMEOUT)));
                u[i] = micros(expectOk(client.send(ns, OPEN, "set", params, proof, open, TIMEOUT)));
            } else {
                u[i] = micros(expectOk(client.send(ns, OPEN, "set", params, proof, open, TIMEOUT)));
                g[i] = micros(expectOk(client.send(ns, GATED, "set", params, proof, gated, TIMEOUT)));
            }
        }
        Arrays.sort(g);
        Arrays.sort(u);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("commands_each", n);
        m.put("gated_p50_us", Timing.round2(pct(g, 0.50)));
        m.put("gated_p99_us", Timing.round2(pct(g, 0.99)));
        m.put("ungated_p50_us", Timing.round2(pct(u, 0.50)));
        m.put("ungated_p99_us", Timing.round2(pct(u, 0.99)));
        m.put("p50_ratio", Timing.round3(pct(g, 0.50) / pct(u, 0.50)));
        m.put("p99_ratio", Timing.round3(pct(g, 0.99) / pct(u, 0.99)));
        return m;
    }

    private static Map<String, Object> throughput(BrokerAddress broker, java.util.function.LongSupplier brokerCpu,
            EntitySecret sender, EntityId ns,
            UnverifiedProof proof, DeviceAgent device, String resource, int n, SecureRandom random, Clock clock) {
        String inbox = Topics.inbox(ns, "bench-load");
        List<byte[]> payloads = new ArrayList<>(n);
        List<Hash> ids = new ArrayList<>(n);
        Map<String, ParamValue> params = Map.of("setpoint", ParamValue.number("22"));
        for (int i = 0; i < n; i++) {
            Command c = Command.sign(new CommandBody(sender.id(), ns, resource, "set", params, proof.id(),
                    Command.newNonce(random), clock.instant()), sender, proof);
            payloads.add(c.encodedWithoutProof());
            ids.add(c.id().hash());
        }
        // Replies keyed by the correlation data the device echoes (the command's id): matching them costs the
        // load generator no decoding inside the window. Over MQTT 3.1.1 there is none, so the reply is decoded.
        Map<java.nio.ByteBuffer, byte[]> replies = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(n);
        // A window of commands in flight: enough to keep the device busy, never more than its queue holds.
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(WINDOW);
        String topic = Topics.command(ns, resource);
        try (MqttLink load = MqttLink.connect(broker, "wave-bench-load-" + resource.hashCode(), false, 1 << 20, TIMEOUT,
                (t, payload, rt, corr) -> {
                    byte[] key = corr;
                    if (key == null) {
                        try {
                            key = UnverifiedReply.decode(payload).inReplyTo().tagged();
                        } catch (io.wave.crypto.WaveException ignored) {
                            return; // Not a reply.
                        }
                    }
                    if (replies.putIfAbsent(java.nio.ByteBuffer.wrap(key), payload) == null) {
                        all.countDown();
                        window.release();
                    }
                }, List.of(inbox))) {
            String mark = "wave-device-" + device.id().toString().substring(0, 8);
            long cpu0 = threadCpuNanos(mark);
            long process0 = processCpuNanos();
            long broker0 = brokerCpu.getAsLong();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                    break;
                }
                load.publish(topic, payloads.get(i), inbox, ids.get(i).tagged());
            }
            boolean finished = all.await(120, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - t0;
            long deviceCpu = threadCpuNanos(mark) - cpu0;
            long processCpu = processCpuNanos() - process0;
            long brokerCpuNanos = broker0 < 0 ? -1 : brokerCpu.getAsLong() - broker0;
            long ok = 0;
            io.wave.crypto.objects.Entity deviceEntity = null;
            for (Hash id : ids) {
                byte[] r = replies.get(java.nio.ByteBuffer.wrap(id.tagged()));
                if (r == null) {
                    continue;
                }
                UnverifiedReply u = UnverifiedReply.decode(r);
                if (deviceEntity == null) {
                    deviceEntity = u.deviceEntity().verify();
                }
                if (u.inReplyTo().equals(id) && u.verify(deviceEntity).ok()) {
                    ok++;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("commands", n);
            m.put("replies", replies.size());
            m.put("accepted", ok);
            m.put("complete", finished);
            m.put("seconds", Timing.round3(elapsed / 1e9));
            m.put("gated_per_second", Math.round(replies.size() / (elapsed / 1e9)));
            m.put("device_counts", nonZero(device.counts()));
            // The device agent's own threads (its MQTT link's and its handlers'): what a gateway pays per command,
            // apart from the load generator and the broker that share this machine's cores in the bench.
            double perCommand = replies.isEmpty() ? Double.NaN : deviceCpu / 1e3 / replies.size();
            m.put("device_cpu_us_per_command", Timing.round2(perCommand));
            m.put("per_second_if_device_had_2_cores", Double.isNaN(perCommand) ? null : Math.round(2e6 / perCommand));
            // Where the rest of the two cores went: this JVM (device, load generator, their MQTT clients, GC)
            // and the broker's process, per command, and the share of both cores they kept busy.
            if (!replies.isEmpty()) {
                m.put("bench_process_cpu_us_per_command", Timing.round2(processCpu / 1e3 / replies.size()));
                m.put("broker_cpu_us_per_command", brokerCpuNanos < 0 ? null
                        : Timing.round2(brokerCpuNanos / 1e3 / replies.size()));
                m.put("cores_busy", Timing.round2((processCpu + Math.max(0, brokerCpuNanos)) / (double) elapsed));
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static Map<String, Object> revocation(Ledger ledger, CommandClient client, EntitySecret owner,
            EntitySecret sender, EntityId device, int trials, SecureRandom random, Validity validity) {
        Map<String, ParamValue> params = Map.of("setpoint", ParamValue.number("20"));
        double[] ms = new double[trials];
        for (int t = 0; t < trials; t++) {
            Attestation g = grant(owner, sender, GATED, random, validity);
            ledger.publish(ObjectKind.ATTESTATION, g.encoded());
            UnverifiedProof p = UnverifiedProof.assemble(List.of(owner.entity(), sender.entity()), List.of(g),
                    List.of(List.of(0)));
            expectOk(client.send(owner.id(), GATED, "set", params, p, device, TIMEOUT));
            ledger.publish(ObjectKind.REVOCATION,
                    new Revocation(owner.attestationRevocationSecret(g.body().nonce())).encode());
            long published = System.nanoTime();
            while (true) {
                CommandResult r = client.send(owner.id(), GATED, "set", params, p, device, TIMEOUT);
                if (r.code() == ReplyCode.REVOKED) {
                    ms[t] = (System.nanoTime() - published) / 1e6;
                    break;
                }
                expectOk(r);
                if (System.nanoTime() - published > TimeUnit.SECONDS.toNanos(30)) {
                    throw new IllegalStateException("revocation not effective after 30 s");
                }
            }
        }
        Arrays.sort(ms);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trials", trials);
        m.put("median_ms", Timing.round2(pct(ms, 0.5)));
        m.put("max_ms", Timing.round2(ms[ms.length - 1]));
        return m;
    }

    private static Map<String, Long> nonZero(Map<ReplyCode, Long> counts) {
        Map<String, Long> m = new LinkedHashMap<>();
        counts.forEach((k, v) -> {
            if (v > 0) {
                m.put(k.name(), v);
            }
        });
        return m;
    }

    private static CommandResult expectOk(CommandResult r) {
        if (!r.accepted()) {
            throw new IllegalStateException("benchmark command refused: " + r.rawCode() + " " + r.detail());
        }
        return r;
    }

    private static double micros(CommandResult r) {
        return r.roundTrip().toNanos() / 1000.0;
    }

    /** The value below which a fraction {@code q} of the sorted {@code xs} lies (nearest rank). */
    static double pct(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
