package io.wave.crypto.objects;

import static io.wave.crypto.objects.Fixtures.ALICE;
import static io.wave.crypto.objects.Fixtures.BOB;
import static io.wave.crypto.objects.Fixtures.NAMESPACE;
import static io.wave.crypto.objects.Fixtures.YEAR_2025;

import io.wave.crypto.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes the valid seed inputs of {@link DecoderFuzzTest} (one well-formed object per target, deterministic
 * keys), so that the fuzzer starts from the real formats instead of discovering DER from nothing. Run once
 * from the module directory; its output is committed, next to the findings kept as regression inputs:
 * {@code java -cp target/test-classes:target/classes:BC io.wave.crypto.objects.FuzzSeeds}.
 */
final class FuzzSeeds {
    private FuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/io/wave/crypto/objects/DecoderFuzzTestInputs");
        Attestation grant = Fixtures.grant().sign();
        UnverifiedProof proof = UnverifiedProof.assemble(List.of(ALICE.entity(), BOB.entity()), List.of(grant),
                List.of(List.of(0)));
        CommandBody body = new CommandBody(BOB.id(), NAMESPACE.id(), "floor1/room2/thermostat", "set",
                Map.of("setpoint", ParamValue.number("21.5"), "mode", new ParamValue.Text("cool")), proof.id(),
                java.util.Arrays.copyOf(Fixtures.nonce("cmd"), CommandBody.NONCE_LENGTH),
                Instant.parse("2025-06-01T12:00:00.123Z"));
        Command command = Command.sign(body, BOB, proof);
        Reply reply = Reply.sign(new ReplyBody(ALICE.id(), command.id().hash(), ReplyBody.OK, "set to 21.5",
                Map.of("setpoint", ParamValue.number("21.5")), Instant.parse("2025-06-01T12:00:00.456Z")), ALICE);
        NameDeclaration name = NameDeclaration.sign(new NameDeclaration.Body(ALICE.id(), BOB.id(),
                "thermostat-3.floor1.building42", YEAR_2025, ALICE.entityRevocationSecret().commitment()), ALICE);

        write(root, "entity", "alice", ALICE.entity().encoded());
        write(root, "entitySecret", "alice", ALICE.encodePlain());
        write(root, "attestation", "grant-with-every-caveat", grant.encoded());
        write(root, "nameDeclaration", "thermostat", name.encoded());
        write(root, "revocation", "alice", new Revocation(ALICE.entityRevocationSecret()).encode());
        write(root, "proof", "one-hop", proof.encoded());
        write(root, "command", "with-proof", command.encoded());
        write(root, "command", "without-proof", command.encodedWithoutProof());
        write(root, "reply", "ok", reply.encoded());
        String pemFile = "# WAVE proof " + proof.id() + "\n# for " + BOB.id() + ": read@ns/x\n"
                + Pem.encode(Pem.PROOF, proof.encoded()) + Pem.encode(Pem.ENTITY, ALICE.entity().encoded());
        write(root, "pem", "proof-file", pemFile.getBytes(StandardCharsets.UTF_8));
        write(root, "pem", "crlf", Pem.encode(Pem.REVOCATION, new Revocation(ALICE.entityRevocationSecret()).encode())
                .replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Path root, String target, String name, byte[] content) throws IOException {
        Path dir = root.resolve(target);
        Files.createDirectories(dir);
        Files.write(dir.resolve("seed-" + name), content);
    }
}
