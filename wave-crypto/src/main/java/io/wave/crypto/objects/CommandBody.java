package io.wave.crypto.objects;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.ProofId;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * What a sender signs when it asks a device to act: which resource, which command with which
 * parameters, under which proof, when, and a nonce that makes it unique.
 *
 * <pre>
 * CommandBody ::= SEQUENCE {
 *   version   INTEGER (1),
 *   sender    OCTET STRING (SIZE (33)),   -- the proof's subject
 *   namespace OCTET STRING (SIZE (33)),
 *   resource  UTF8String,                 -- a concrete resource: no '+', '*' or '#'
 *   command   UTF8String,                 -- a lowercase word
 *   params    Params,
 *   proof     OCTET STRING (SIZE (33)),   -- the id of the proof that authorises it
 *   nonce     OCTET STRING (SIZE (16)),
 *   timestamp INTEGER }                   -- milliseconds since the epoch
 * </pre>
 *
 * Signing the proof's id rather than the proof lets the same signed command travel with its proof or
 * without it (WAVEMQ's proof elision) and keep one id.
 */
/** Parameters are kept sorted by name (an unmodifiable {@link SortedMap}): the order they are encoded in. */
public record CommandBody(EntityId sender, EntityId namespace, String resource, String command,
        Map<String, ParamValue> params, ProofId proof, byte[] nonce, Instant timestamp) {
    public static final int NONCE_LENGTH = 16;
    public static final Pattern COMMAND = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public CommandBody {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(timestamp, "timestamp");
        checkResource(resource);
        if (command == null || !COMMAND.matcher(command).matches()) {
            throw WaveException.malformed("a command name is a lowercase word of up to 32 characters");
        }
        params = Params.checked(params);
        if (nonce == null || nonce.length != NONCE_LENGTH) {
            throw WaveException.malformed("a command nonce is " + NONCE_LENGTH + " bytes");
        }
        nonce = nonce.clone();
        if (timestamp.getEpochSecond() < 0 || timestamp.getEpochSecond() > Limits.MAX_EPOCH_SECONDS) {
            throw WaveException.malformed("a command's timestamp lies between 1970 and 9999");
        }
        timestamp = Instant.ofEpochMilli(timestamp.toEpochMilli());
    }

    /** A concrete resource path: cells of printable characters without MQTT or pattern wildcards. */
    public static void checkResource(String resource) {
        if (resource == null || resource.isEmpty() || resource.length() > Limits.MAX_RESOURCE_CHARS) {
            throw WaveException.malformed("a resource is 1 to " + Limits.MAX_RESOURCE_CHARS + " characters");
        }
        for (String cell : resource.split("/", -1)) {
            if (cell.isEmpty()) {
                throw WaveException.malformed("resource '" + resource + "' has an empty cell");
            }
            for (int i = 0; i < cell.length(); i++) {
                char c = cell.charAt(i);
                if (c == '+' || c == '*' || c == '#' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                    throw WaveException.malformed("resource '" + resource + "' is not a concrete resource");
                }
            }
        }
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /** The parameters that are numbers, exactly: what caveats are checked against. */
    public Map<String, ParamValue.Number> numbers() {
        return Params.numbers(params);
    }

    ASN1Sequence toAsn1() {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(Fields.VERSION));
        Fields.put(v, sender);
        Fields.put(v, namespace);
        v.add(new DERUTF8String(resource));
        v.add(new DERUTF8String(command));
        v.add(Params.toAsn1((SortedMap<String, ParamValue>) params));
        v.add(new DEROctetString(proof.hash().tagged()));
        v.add(new DEROctetString(nonce));
        v.add(new ASN1Integer(timestamp.toEpochMilli()));
        return Der.sequence(v);
    }

    static CommandBody fromAsn1(ASN1Sequence seq) {
        DerReader r = new DerReader(seq, "command");
        Fields.version(r);
        EntityId sender = Fields.entityId(r, "sender");
        EntityId namespace = Fields.entityId(r, "namespace");
        String resource = r.utf8("resource", Limits.MAX_RESOURCE_CHARS);
        String command = r.utf8("command", 32);
        SortedMap<String, ParamValue> params = Params.fromAsn1(r.sequence("params"), "command");
        ProofId proof = new ProofId(Hash.fromTagged(r.octets("proof", Hash.TAGGED_LENGTH)));
        byte[] nonce = r.octets("nonce", NONCE_LENGTH);
        long ts = r.integer("timestamp", 0, Limits.MAX_EPOCH_SECONDS * 1000);
        r.end();
        return new CommandBody(sender, namespace, resource, command, params, proof, nonce, Instant.ofEpochMilli(ts));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandBody b && sender.equals(b.sender) && namespace.equals(b.namespace)
                && resource.equals(b.resource) && command.equals(b.command) && params.equals(b.params)
                && proof.equals(b.proof) && Arrays.equals(nonce, b.nonce) && timestamp.equals(b.timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sender, resource, command, proof, Arrays.hashCode(nonce), timestamp);
    }

    @Override
    public String toString() {
        return "CommandBody[" + command + " " + resource + " " + params + " from " + sender + "]";
    }
}
