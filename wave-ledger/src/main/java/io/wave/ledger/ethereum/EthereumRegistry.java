package io.wave.ledger.ethereum;

import io.wave.ledger.ethereum.internal.Chain;
import io.wave.ledger.ethereum.internal.Registry;
import java.util.Objects;
import org.web3j.crypto.Credentials;

/**
 * Deploys the WAVE registry contract (src/main/solidity/WaveRegistry.sol). One registry serves both modes:
 * {@link EthereumLedger} publishes objects to it, {@link TreeHeadAnchor} anchors tree heads in it, and any
 * number of ledgers and logs may share it, since readers verify everything they read.
 */
public final class EthereumRegistry {
    private EthereumRegistry() {}

    /**
     * Deploys a registry through the node at {@code rpcUrl}, paid by {@code credentials}, and returns its
     * address (lower-case hex) once the deployment is mined.
     *
     * @throws io.wave.crypto.WaveException BAD_ARGUMENT for a bad URL, UNAVAILABLE when the node does not
     *     answer or refuses the transaction
     */
    public static String deploy(String rpcUrl, Credentials credentials) {
        return deploy(EthereumConfig.of(rpcUrl), credentials);
    }

    /** Deploys with the node, timeouts and account key of {@code config}. */
    public static String deploy(EthereumConfig config) {
        return deploy(config, config.key().load());
    }

    private static String deploy(EthereumConfig config, Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        try (Chain chain = Chain.connect(config.rpc(), config.timeout(), config.pollInterval())) {
            return Registry.deploy(chain, credentials);
        }
    }
}
