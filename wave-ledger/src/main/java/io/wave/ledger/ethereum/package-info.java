/**
 * The ledger on an Ethereum chain, through web3j and one small registry contract
 * (src/main/solidity/WaveRegistry.sol) that stores nothing and emits events.
 *
 * <ul>
 *   <li><b>Direct mode</b>, {@link io.wave.ledger.ethereum.EthereumLedger}: every object's leaf data is a
 *       {@code Published} event; any agent with the node's URL and the registry's address rebuilds the
 *       whole ledger from them.</li>
 *   <li><b>Anchored mode</b>, {@link io.wave.ledger.ethereum.TreeHeadAnchor}: objects live in an embedded
 *       or server log; only its signed tree heads go on chain, one per batch, and clients audit the log
 *       against them.</li>
 * </ul>
 *
 * <p>The contract lets anyone write anything, so nothing read from the chain is trusted: objects pass the
 * ledger's one verification gate ({@link io.wave.ledger.LedgerObjects#check}) and heads the log's signature,
 * or they are skipped and counted. Users name a registry as {@code ethereum:http://HOST:PORT?contract=0x...}
 * ({@link io.wave.ledger.ethereum.EthereumConfig#parse}); the account key that pays comes from a file or
 * {@code WAVE_ETH_KEY} ({@link io.wave.ledger.ethereum.KeySource}); {@link
 * io.wave.ledger.ethereum.EthereumRegistry#deploy} creates a registry. An unreachable node is
 * {@code UNAVAILABLE}, a log caught forking {@code TAMPERED}.
 */
package io.wave.ledger.ethereum;
