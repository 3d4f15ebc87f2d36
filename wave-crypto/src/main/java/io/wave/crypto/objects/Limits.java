package io.wave.crypto.objects;

/**
 * Size and count bounds on every object that enters from outside, each with its reason. Objects over a
 * bound are refused with {@code TOO_LARGE} before any signature is checked.
 */
public final class Limits {
    /** An entity is two keys, two times and a commitment: about 200 bytes; 4 KiB leaves room for extensions. */
    public static final int MAX_ENTITY_BYTES = 4 * 1024;
    /** An attestation with 32 permissions, a 256-character resource and 16 caveats stays under 4 KiB. */
    public static final int MAX_ATTESTATION_BYTES = 8 * 1024;
    public static final int MAX_NAME_BYTES = 2 * 1024;
    public static final int MAX_REVOCATION_BYTES = 256;
    /** 64 attestations and 64 entities at their ordinary size, with room to spare. */
    public static final int MAX_PROOF_BYTES = 64 * 1024;
    public static final int MAX_SECRET_BYTES = 8 * 1024;
    /** Attestations in one proof: 16 paths of up to 16 hops share most of theirs in practice. */
    public static final int MAX_PROOF_ATTESTATIONS = 64;
    /** Entities in one proof: at most one more than its attestations on each path. */
    public static final int MAX_PROOF_ENTITIES = 80;
    /** Paths in one proof: separate grants unioned for one request. */
    public static final int MAX_PROOF_PATHS = 16;
    /** Hops on one path: deeper delegation than this is an organisational accident, not a design. */
    public static final int MAX_PATH_LENGTH = 16;
    public static final int MAX_PERMISSIONS = 32;
    public static final int MAX_PERMISSION_CHARS = 32;
    public static final int MAX_RESOURCE_CHARS = 256;
    public static final int MAX_CAVEATS = 16;
    public static final int MAX_NAME_CHARS = 253;
    /** A grant may let its subject re-delegate at most this many more hops. */
    public static final int MAX_INDIRECTIONS = 255;
    /** A command carries at most one proof plus a small body: the proof bound and 8 KiB for the rest. */
    public static final int MAX_COMMAND_BYTES = MAX_PROOF_BYTES + 8 * 1024;
    /** Parameters of one command: a thermostat takes three; 32 leaves room without inviting abuse. */
    public static final int MAX_COMMAND_PARAMS = 32;
    /** Characters of one text parameter: a mode, a label, a short reason. */
    public static final int MAX_PARAM_TEXT_CHARS = 256;
    /** Characters of a reply's human-readable detail. */
    public static final int MAX_DETAIL_CHARS = 512;
    /** A reply is its body, a signature and the device's entity. */
    public static final int MAX_REPLY_BYTES = MAX_ENTITY_BYTES + 8 * 1024;
    /** Latest time an object may name: year 9999, so that validity arithmetic never overflows. */
    public static final long MAX_EPOCH_SECONDS = 253_402_300_799L;

    private Limits() {}
}
