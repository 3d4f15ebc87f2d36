package io.wave.crypto.objects;

import static io.wave.crypto.objects.Fixtures.ALICE;
import static io.wave.crypto.objects.Fixtures.BOB;
import static io.wave.crypto.objects.Fixtures.MALLORY;
import static io.wave.crypto.objects.Fixtures.NAMESPACE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.ProofId;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.Test;

class CommandTest {
    static final Attestation GRANT = Fixtures.grant().sign();
    static final UnverifiedProof PROOF = UnverifiedProof.assemble(List.of(ALICE.entity(), BOB.entity()),
            List.of(GRANT), List.of(List.of(0)));
    static final byte[] NONCE = java.util.Arrays.copyOf(Fixtures.nonce("cmd"), CommandBody.NONCE_LENGTH);
    static final Instant AT = Instant.parse("2025-06-01T12:00:00.123Z");

    static CommandBody body(Map<String, ParamValue> params) {
        return new CommandBody(BOB.id(), NAMESPACE.id(), "building1/floor2/hvac/setpoint", "set", params, PROOF.id(),
                NONCE, AT);
    }

    static final Map<String, ParamValue> PARAMS = Map.of("setpoint", ParamValue.number("21.5"), "mode",
            new ParamValue.Text("cool"));

    @Test
    void sign_decode_verify_roundTripsEveryFieldWithTheProofAttached() {
        Command c = Command.sign(body(PARAMS), BOB, PROOF);
        UnverifiedCommand u = UnverifiedCommand.decode(c.encoded());
        assertEquals(c.id(), u.id());
        assertEquals(BOB.id(), u.sender());
        assertEquals(PROOF.id(), u.proofId());
        assertArrayEquals(PROOF.encoded(), u.proof().orElseThrow().encoded());
        Command v = u.verify(BOB.entity());
        assertEquals(body(PARAMS), v.body());
        assertEquals(ParamValue.number("21.5"), v.body().numbers().get("setpoint"));
        assertEquals(new ParamValue.Text("cool"), v.body().params().get("mode"));
        assertEquals(AT, v.body().timestamp());
    }

    @Test
    void elidedForm_hasTheSameIdAndVerifiesWithoutTheProof() {
        Command c = Command.sign(body(PARAMS), BOB, PROOF);
        byte[] elided = c.encodedWithoutProof();
        assertTrue(elided.length < c.encoded().length - PROOF.size() + 8);
        UnverifiedCommand u = UnverifiedCommand.decode(elided);
        assertEquals(c.id(), u.id());
        assertTrue(u.proof().isEmpty());
        assertEquals(PROOF.id(), u.verify(BOB.entity()).body().proof());
    }

    @Test
    void verify_rejectsAnotherSendersKey() {
        UnverifiedCommand u = UnverifiedCommand.decode(Command.sign(body(PARAMS), BOB, null).encoded());
        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class, () -> u.verify(MALLORY.entity())).code());
    }

    @Test
    void verify_rejectsACommandWhoseBodyWasAltered() {
        byte[] der = Command.sign(body(PARAMS), BOB, null).encoded();
        // 21.5 -> 29.5 in micros: the signature no longer covers the body.
        byte[] altered = Fixtures.patch(der, Der.encode(new org.bouncycastle.asn1.ASN1Integer(21_500_000)),
                Der.encode(new org.bouncycastle.asn1.ASN1Integer(29_500_000)));
        UnverifiedCommand u = UnverifiedCommand.decode(altered);
        assertEquals(ParamValue.number("29.5"), u.body().numbers().get("setpoint"));
        assertEquals(ErrorCode.BAD_SIGNATURE, assertThrows(WaveException.class, () -> u.verify(BOB.entity())).code());
    }

    @Test
    void verify_rejectsASignatureMadeByAnotherKey() {
        CommandBody forged = new CommandBody(BOB.id(), NAMESPACE.id(), "building1/floor2/hvac/setpoint", "set", PARAMS,
                PROOF.id(), new byte[16], AT);
        byte[] bodyBytes = Der.encode(forged.toAsn1());
        byte[] sig = MALLORY.signingKey().sign("wave.sig.command.v1", bodyBytes);
        byte[] der = Der.encode(Der.sequence(forged.toAsn1(), new DEROctetString(sig)));
        assertEquals(ErrorCode.BAD_SIGNATURE,
                assertThrows(WaveException.class, () -> UnverifiedCommand.decode(der).verify(BOB.entity())).code());
    }

    @Test
    void decode_rejectsAnAttachedProofOtherThanTheSignedOne() {
        Attestation other = Fixtures.grant().resource("building1/*").sign();
        UnverifiedProof otherProof = UnverifiedProof.assemble(List.of(ALICE.entity(), BOB.entity()), List.of(other),
                List.of(List.of(0)));
        Command c = Command.sign(body(PARAMS), BOB, null);
        ASN1Sequence seq = Der.decodeSequence(c.encoded(), Limits.MAX_COMMAND_BYTES, "t");
        byte[] swapped = Der.encode(Der.sequence(seq.getObjectAt(0), seq.getObjectAt(1),
                new org.bouncycastle.asn1.DERTaggedObject(true, 0,
                        Der.decodeSequence(otherProof.encoded(), Limits.MAX_PROOF_BYTES, "p"))));
        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class, () -> UnverifiedCommand.decode(swapped)).code());
        assertThrows(WaveException.class, () -> Command.sign(body(PARAMS), BOB, otherProof));
    }

    @Test
    void decode_rejectsGarbageTrailingBytesAndOversize() {
        byte[] der = Command.sign(body(PARAMS), BOB, PROOF).encoded();
        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class,
                () -> UnverifiedCommand.decode(Fixtures.concat(der, new byte[] {0}))).code());
        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class,
                () -> UnverifiedCommand.decode(new byte[] {1, 2, 3})).code());
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(WaveException.class,
                () -> UnverifiedCommand.decode(new byte[Limits.MAX_COMMAND_BYTES + 1])).code());
    }

    @Test
    void decode_rejectsUnsortedOrDuplicateParameters() {
        CommandBody b = body(PARAMS);
        ASN1Sequence enc = b.toAsn1();
        ASN1Sequence params = (ASN1Sequence) enc.getObjectAt(5);
        ASN1Sequence reversed = Der.sequence(params.getObjectAt(1), params.getObjectAt(0));
        ASN1Sequence bad = Fixtures.replace(enc, 5, reversed);
        byte[] der = Der.encode(Der.sequence(bad, new DEROctetString(new byte[64])));
        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class, () -> UnverifiedCommand.decode(der)).code());
    }

    @Test
    void body_refusesWildcardResourcesBadNamesAndTooManyParameters() {
        assertThrows(WaveException.class, () -> new CommandBody(BOB.id(), NAMESPACE.id(), "building1/+/x", "set",
                Map.of(), PROOF.id(), new byte[16], AT));
        assertThrows(WaveException.class, () -> new CommandBody(BOB.id(), NAMESPACE.id(), "a/#", "set",
                Map.of(), PROOF.id(), new byte[16], AT));
        assertThrows(WaveException.class, () -> new CommandBody(BOB.id(), NAMESPACE.id(), "a//b", "set",
                Map.of(), PROOF.id(), new byte[16], AT));
        assertThrows(WaveException.class, () -> new CommandBody(BOB.id(), NAMESPACE.id(), "a", "Set",
                Map.of(), PROOF.id(), new byte[16], AT));
        TreeMap<String, ParamValue> many = new TreeMap<>();
        for (int i = 0; i <= Limits.MAX_COMMAND_PARAMS; i++) {
            many.put("p" + i, ParamValue.number("1"));
        }
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(WaveException.class, () -> new CommandBody(BOB.id(),
                NAMESPACE.id(), "a", "set", many, PROOF.id(), new byte[16], AT)).code());
        assertThrows(WaveException.class, () -> ParamValue.number("1.0000001"));
    }

    @Test
    void id_coversTheBodyOnly_andDiffersForAnotherNonce() {
        Command a = Command.sign(body(PARAMS), BOB, PROOF);
        CommandBody other = new CommandBody(BOB.id(), NAMESPACE.id(), "building1/floor2/hvac/setpoint", "set", PARAMS,
                PROOF.id(), new byte[16], AT);
        assertNotEquals(a.id(), Command.sign(other, BOB, PROOF).id());
        assertFalse(a.id().hash().equals(UnverifiedCommand.payloadId(a.encoded())));
        assertEquals(Hash.TAGGED_LENGTH, UnverifiedCommand.payloadId(new byte[3]).tagged().length);
    }

    @Test
    void reply_signDecodeVerify_andRefusesForgery() {
        Command c = Command.sign(body(PARAMS), BOB, PROOF);
        ReplyBody rb = new ReplyBody(ALICE.id(), c.id().hash(), ReplyBody.OK, "set to 21.5",
                Map.of("setpoint", ParamValue.number("21.5")), AT);
        Reply r = Reply.sign(rb, ALICE);
        UnverifiedReply u = UnverifiedReply.decode(r.encoded());
        assertEquals(c.id().hash(), u.inReplyTo());
        Reply v = u.verify(u.deviceEntity().verify());
        assertTrue(v.ok());
        assertEquals(rb, v.body());
        assertEquals(ALICE.id(), v.device());
        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class, () -> u.verify(BOB.entity())).code());
        byte[] forged = Fixtures.patch(r.encoded(), Der.encode(new DERUTF8String("set to 21.5")),
                Der.encode(new DERUTF8String("set to 99.5")));
        assertEquals(ErrorCode.BAD_SIGNATURE, assertThrows(WaveException.class,
                () -> UnverifiedReply.decode(forged).verify(ALICE.entity())).code());
        assertThrows(WaveException.class, () -> new ReplyBody(ALICE.id(), c.id().hash(), "not ok", "x", Map.of(), AT));
        assertEquals("-", ReplyBody.clip(" "));
        assertEquals("a b", ReplyBody.clip("a\nb"));
        assertEquals(new ProofId(PROOF.id().hash()), c.body().proof());
    }
}
