/**
 * The ledger: where entities, attestations, names and revocations are anchored so that nobody can
 * quietly rewrite or hide them. The interface and its backends (embedded RocksDB log, ledger server,
 * Ethereum registry) arrive with the ledger issue; until then the CLI works on files.
 */
package io.wave.ledger;
