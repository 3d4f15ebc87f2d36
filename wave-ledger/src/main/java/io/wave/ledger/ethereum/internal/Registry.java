package io.wave.ledger.ethereum.internal;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The deployed registry contract (src/main/solidity/WaveRegistry.sol) as the backend talks to it: call data
 * built and events decoded with the generated {@link WaveRegistry} wrapper, sent through a {@link Chain}.
 * Decoding trusts nothing: an event that is not exactly what the contract emits is garbage and raises.
 */
public final class Registry {
    public static final String PUBLISHED_TOPIC = EventEncoder.encode(WaveRegistry.PUBLISHED_EVENT);
    public static final String ANCHORED_TOPIC = EventEncoder.encode(WaveRegistry.ANCHORED_EVENT);

    private final Chain chain;
    private final String address;
    private final WaveRegistry wrapper;
    private final long deployedAt;

    private Registry(Chain chain, String address, long deployedAt) {
        this.chain = chain;
        this.address = address;
        // Only builds call data here; it never sends, so a read-only manager and any gas provider do.
        this.wrapper = WaveRegistry.load(address, chain.web3j(), new ReadonlyTransactionManager(chain.web3j(), address),
                new DefaultGasProvider());
        this.deployedAt = deployedAt;
    }

    /**
     * The registry at {@code address}, checked to be one: it has code and answers {@code deployedAt()}.
     *
     * @throws WaveException NOT_FOUND when no registry is there, UNAVAILABLE when the node does not answer
     */
    public static Registry at(Chain chain, String address) {
        String code = chain.code(address);
        if (code == null || code.equals("0x") || code.isEmpty()) {
            throw new WaveException(ErrorCode.NOT_FOUND, "there is no contract at " + address + " on " + chain.where()
                    + " (deploy one with `wave ledger deploy`)");
        }
        Function f = new Function(WaveRegistry.FUNC_DEPLOYEDAT, List.of(), List.of(new TypeReference<Uint256>() {}));
        String result = chain.call(address, org.web3j.abi.FunctionEncoder.encode(f));
        long block;
        try {
            @SuppressWarnings("rawtypes")
            List<Type> out = FunctionReturnDecoder.decode(result, f.getOutputParameters());
            block = ((BigInteger) out.get(0).getValue()).longValueExact();
        } catch (RuntimeException e) {
            throw new WaveException(ErrorCode.NOT_FOUND, "the contract at " + address + " on " + chain.where()
                    + " is not a WAVE registry");
        }
        return new Registry(chain, address, block);
    }

    /**
     * Deploys a new registry, waits for it to be mined, and returns its address.
     *
     * @throws WaveException UNAVAILABLE when the node does not answer or the deployment fails
     */
    public static String deploy(Chain chain, Credentials from) {
        long chainId = chain.chainId();
        String tx = chain.send(from, chainId, chain.pendingNonce(from.getAddress()), null, WaveRegistry.BINARY);
        TransactionReceipt r = chain.receipt(tx);
        if (r.getContractAddress() == null) {
            throw new WaveException(ErrorCode.UNAVAILABLE, "deployment " + tx + " on " + chain.where()
                    + " was mined without creating a contract");
        }
        return r.getContractAddress().toLowerCase(Locale.ROOT);
    }

    public String address() {
        return address;
    }

    /** The block the registry was created in: no event of it is older. */
    public long deployedAt() {
        return deployedAt;
    }

    /** Call data of {@code publish(objects)}. */
    public String publishCall(List<byte[]> objects) {
        return wrapper.publish(objects).encodeFunctionCall();
    }

    /** Call data of {@code anchor(...)}. */
    public String anchorCall(byte[] logKey, long size, long timestamp, byte[] root, byte[] signature) {
        return wrapper.anchor(logKey, BigInteger.valueOf(size), BigInteger.valueOf(timestamp), root, signature)
                .encodeFunctionCall();
    }

    /** The object a Published event carries (its leaf data). */
    public byte[] publishedObject(Log log) {
        checkOrigin(log, PUBLISHED_TOPIC, 1);
        return WaveRegistry.getPublishedEventFromLog(log).object;
    }

    /** An Anchored event's fields. */
    public WaveRegistry.AnchoredEventResponse anchored(Log log) {
        checkOrigin(log, ANCHORED_TOPIC, 2);
        return WaveRegistry.getAnchoredEventFromLog(log);
    }

    private void checkOrigin(Log log, String topic, int topics) {
        if (log.getAddress() == null || !log.getAddress().equalsIgnoreCase(address) || log.getTopics() == null
                || log.getTopics().size() != topics || !topic.equalsIgnoreCase(log.getTopics().get(0))) {
            throw WaveException.malformed("a log that is not this registry's " + (topics == 1 ? "Published" : "Anchored")
                    + " event");
        }
    }

    /** Where something is on chain, as receipts and anchored heads name it: {@code eth:block=N,tx=0x...}. */
    public static String anchor(long block, String transaction) {
        return "eth:block=" + block + ",tx=" + transaction;
    }

    /** The transaction hash in an {@link #anchor} string. */
    public static String transactionOf(String anchor) {
        int at = anchor.indexOf(",tx=");
        if (!anchor.startsWith("eth:block=") || at < 0) {
            throw WaveException.malformed("'" + anchor + "' is not an eth:block=N,tx=0x... anchor");
        }
        return anchor.substring(at + 4);
    }

    /** {@code bytes} as a 32-byte topic. */
    public static String topic(byte[] bytes32) {
        return Numeric.toHexString(bytes32);
    }
}
