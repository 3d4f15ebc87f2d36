package io.wave.testnet.story;

import io.wave.crypto.objects.Attestation;

/** A grant published in a story: who made it, and the attestation itself. */
public record Grant(Actor attester, Actor subject, Attestation attestation) {
    @Override
    public String toString() {
        return attester.name() + " -> " + subject.name() + " (" + attestation.id() + ")";
    }
}
