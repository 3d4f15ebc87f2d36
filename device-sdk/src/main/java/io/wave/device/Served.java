package io.wave.device;

import io.wave.crypto.EntityId;

/**
 * What a device agent just answered, for logs and monitors: the outcome and, when the payload decoded,
 * who asked what of which resource (as claimed: for a refusal before the signature check, the sender is
 * what the command says, not who signed it).
 */
public record Served(ReplyCode code, EntityId sender, String resource, String command, String detail) {}
