package io.wave.ledger.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.web3j.crypto.Credentials;

/**
 * The tests' ganache: a {@link DevNode} started from this module's {@code eth/} directory, logging under
 * {@code target/}. Nothing is mocked between web3j and it.
 *
 * <p>{@link Shared} hands one node to every test class that asks (deploying a fresh registry each keeps
 * them apart); a test that stops its node starts its own.
 */
final class Ganache implements AutoCloseable {
    static final String MNEMONIC = DevNode.MNEMONIC;

    private final DevNode node;

    private Ganache(DevNode node) {
        this.node = node;
    }

    static Ganache start() {
        return new Ganache(DevNode.start(Path.of("eth"), Path.of("target")));
    }

    String url() {
        return node.url();
    }

    static Credentials account(int i) {
        return DevNode.account(i);
    }

    long blockNumber() {
        return node.blockNumber();
    }

    void mine(int n) {
        node.mine(n);
    }

    String snapshot() {
        return node.snapshot();
    }

    void revert(String snapshot) {
        node.revert(snapshot);
    }

    JsonNode rpc(String method, String... params) {
        return node.rpc(method, params);
    }

    void stop() {
        node.stop();
    }

    @Override
    public void close() {
        node.close();
    }

    @Override
    public String toString() {
        return node.toString();
    }
    /**
     * Resolves a {@link Ganache} parameter to one node shared by the whole test run, started on first use
     * and stopped when the run ends.
     */
    static final class Shared implements ParameterResolver {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Shared.class);

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
            return p.getParameter().getType() == Ganache.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext c) {
            return c.getRoot().getStore(NS).getOrComputeIfAbsent("ganache", k -> new Running(Ganache.start()),
                    Running.class).node;
        }

        private record Running(Ganache node) implements ExtensionContext.Store.CloseableResource {
            @Override
            public void close() {
                node.close();
            }
        }
    }
}
