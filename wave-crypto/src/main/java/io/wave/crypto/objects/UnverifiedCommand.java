package io.wave.crypto.objects;

import io.wave.crypto.CommandId;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.ProofId;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * A command as it arrives from the network: decoded strictly, id computed, signature unchecked. Before
 * trust only the sender, the proof id and the attached proof may be read (to find the sender's key and
 * the proof); everything else is reached through the {@link Command} that {@link #verify(Entity)} returns.
 *
 * <pre>
 * Command ::= SEQUENCE {
 *   body      CommandBody,
 *   signature OCTET STRING (SIZE (64)),        -- the sender's, over the body
 *   proof     [0] EXPLICIT Proof OPTIONAL }    -- absent when the sender expects the device to hold it
 * </pre>
 */
public final class UnverifiedCommand {
    private final CommandId id;
    private final CommandBody body;
    private final byte[] bodyBytes;
    private final byte[] signature;
    private final UnverifiedProof proof;

    UnverifiedCommand(CommandBody body, byte[] bodyBytes, byte[] signature, UnverifiedProof proof) {
        this.id = new CommandId(Hash.sha3(Domains.COMMAND_ID, bodyBytes));
        this.body = body;
        this.bodyBytes = bodyBytes;
        this.signature = signature;
        this.proof = proof;
    }

    /**
     * Decodes strictly. An attached proof must be the one the body names.
     *
     * @throws WaveException MALFORMED or TOO_LARGE
     */
    public static UnverifiedCommand decode(byte[] der) {
        ASN1Sequence seq = Der.decodeSequence(der, Limits.MAX_COMMAND_BYTES, "command");
        DerReader r = new DerReader(seq, "command");
        ASN1Sequence bodySeq = r.sequence("body");
        byte[] sig = r.octets("signature", 64);
        ASN1Encodable proofElement = r.optionalTagged(0);
        r.end();
        int[] top = Der.children(der, 0);
        byte[] bodyBytes = Arrays.copyOfRange(der, top[0], top[1]);
        CommandBody body = CommandBody.fromAsn1(bodySeq);
        UnverifiedProof proof = null;
        if (proofElement != null) {
            // The explicit tag wraps the proof's own SEQUENCE: its content is the proof's canonical encoding.
            int[] tagged = Der.children(der, top[4]);
            proof = UnverifiedProof.decode(Arrays.copyOfRange(der, tagged[0], tagged[1]));
            if (!proof.id().equals(body.proof())) {
                throw WaveException.malformed("command: the attached proof " + proof.id() + " is not the signed "
                        + body.proof());
            }
        }
        return new UnverifiedCommand(body, bodyBytes, sig, proof);
    }

    /** The id of a payload that is not a command, so that its refusal can still name what it refuses. */
    public static Hash payloadId(byte[] payload) {
        return Hash.sha3(Domains.PAYLOAD_ID, payload);
    }

    public CommandId id() {
        return id;
    }

    /** Who claims to have signed this. */
    public EntityId sender() {
        return body.sender();
    }

    /** The id of the proof the sender relies on. */
    public ProofId proofId() {
        return body.proof();
    }

    /** The proof, when the sender attached it. */
    public Optional<UnverifiedProof> proof() {
        return Optional.ofNullable(proof);
    }

    /**
     * Checks that {@code sender} is the entity this command names and that its key signed it.
     *
     * @throws WaveException BAD_SIGNATURE when the signature does not verify, MALFORMED when the entity
     *     is not the named sender
     */
    public Command verify(Entity sender) {
        if (!sender.id().equals(body.sender())) {
            throw WaveException.malformed("command " + id + " names sender " + body.sender() + ", not " + sender.id());
        }
        if (!sender.signingKey().isValid(Domains.COMMAND_SIG, bodyBytes, signature)) {
            throw new WaveException(ErrorCode.BAD_SIGNATURE, "command " + id + ": signature does not verify");
        }
        return new Command(this);
    }

    /**
     * What the command claims, before its signature is checked: for routing it and refusing it early,
     * never for acting on it.
     */
    public CommandBody claimedBody() {
        return body;
    }

    CommandBody body() {
        return body;
    }

    byte[] bodyBytes() {
        return bodyBytes;
    }

    byte[] signature() {
        return signature;
    }
}
