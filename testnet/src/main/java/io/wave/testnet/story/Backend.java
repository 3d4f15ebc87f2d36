package io.wave.testnet.story;

/** Which real parts a story's network runs on. */
public enum Backend {
    /** The zero-setup defaults: an embedded ledger behind a ledger server, and the embedded broker. */
    EMBEDDED,
    /** Mosquitto (started here; apt-get install mosquitto) and a ganache chain with the registry contract. */
    MOSQUITTO_GANACHE
}
