package io.wave.crypto.objects;

/** Domain tags for ids and signatures: no two kinds of object can share a hash or a signature. */
final class Domains {
    static final String ENTITY_ID = "wave.entity.v1";
    static final String ENTITY_SIG = "wave.sig.entity.v1";
    static final String ATTESTATION_ID = "wave.attestation.v1";
    static final String ATTESTATION_SIG = "wave.sig.attestation.v1";
    static final String NAME_ID = "wave.name.v1";
    static final String NAME_SIG = "wave.sig.name.v1";
    static final String PROOF_ID = "wave.proof.v1";
    static final String COMMAND_ID = "wave.command.v1";
    static final String COMMAND_SIG = "wave.sig.command.v1";
    static final String REPLY_SIG = "wave.sig.reply.v1";
    /** Names a payload that did not decode as a command, so that even its refusal is bound to it. */
    static final String PAYLOAD_ID = "wave.payload.v1";

    private Domains() {}
}
