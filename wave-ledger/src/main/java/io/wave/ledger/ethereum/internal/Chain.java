package io.wave.ledger.ethereum.internal;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * One Ethereum JSON-RPC node, as the Ethereum backend uses it. Every failure to get an answer (connection
 * refused, timeout, an HTTP error, a JSON-RPC error, a reply that does not parse) is a {@link WaveException}
 * UNAVAILABLE naming what was asked; no web3j or I/O exception leaves this class. What the node answers is
 * not trusted here: callers check it.
 */
public final class Chain implements AutoCloseable {
    /** Gas estimates are exact for event-only contracts; the margin absorbs a node that estimates low. */
    private static final int GAS_MARGIN_PERCENT = 10;

    private final String where;
    private final Web3j web3j;
    private final ScheduledExecutorService executor;
    private final Duration timeout;
    private final Duration pollInterval;

    private Chain(URI rpc, Duration timeout, Duration pollInterval) {
        this.where = redacted(rpc);
        this.timeout = timeout;
        this.pollInterval = pollInterval;
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout)
                .callTimeout(timeout).build();
        // Our own daemon executor: web3j's shared default is not daemon and shutting it down would break
        // every other instance in the process.
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wave-web3j");
            t.setDaemon(true);
            return t;
        });
        this.web3j = Web3j.build(new HttpService(rpc.toString(), http), pollInterval.toMillis(), executor);
    }

    /** A client of the node at {@code rpc}; connects lazily (the first call reports an unreachable node). */
    public static Chain connect(URI rpc, Duration timeout, Duration pollInterval) {
        return new Chain(rpc, timeout, pollInterval);
    }

    /** The node as messages name it: scheme, host and port only, since paths often carry API keys. */
    public static String redacted(URI rpc) {
        return rpc.getScheme() + "://" + rpc.getHost() + (rpc.getPort() < 0 ? "" : ":" + rpc.getPort());
    }

    public String where() {
        return where;
    }

    public Web3j web3j() {
        return web3j;
    }

    public long chainId() {
        return ask("eth_chainId", web3j.ethChainId(), r -> r.getChainId().longValueExact());
    }

    public long blockNumber() {
        return ask("eth_blockNumber", web3j.ethBlockNumber(), r -> r.getBlockNumber().longValueExact());
    }

    /** The hash of block {@code number} on the node's current chain; empty when it has no such block. */
    public Optional<String> blockHash(long number) {
        String what = "eth_getBlockByNumber " + number;
        return ask(what, web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false), r -> {
            EthBlock.Block b = r.getBlock();
            if (b == null) {
                return Optional.empty();
            }
            if (b.getHash() == null || b.getNumber() == null || b.getNumber().longValueExact() != number) {
                throw garbled(what, "a block that is not the one asked for");
            }
            return Optional.of(b.getHash().toLowerCase(Locale.ROOT));
        });
    }

    /** Logs of {@code address} with first topic {@code topic0} (and second {@code topic1} unless null). */
    public List<Log> logs(String address, String topic0, String topic1, long from, long to) {
        EthFilter f = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), address);
        f.addSingleTopic(topic0);
        if (topic1 != null) {
            f.addSingleTopic(topic1);
        }
        String what = "eth_getLogs " + from + ".." + to;
        return ask(what, web3j.ethGetLogs(f), reply -> {
            if (reply.getLogs() == null) {
                throw garbled(what, "no logs");
            }
            List<Log> out = new ArrayList<>();
            for (EthLog.LogResult<?> r : reply.getLogs()) {
                if (!(r instanceof EthLog.LogObject lo)) {
                    throw garbled(what, "hashes, not logs");
                }
                out.add(lo.get());
            }
            return out;
        });
    }

    /** The code deployed at {@code address} ("0x" when none). */
    public String code(String address) {
        return ask("eth_getCode " + address, web3j.ethGetCode(address, DefaultBlockParameterName.LATEST), r -> r.getCode());
    }

    /** The result of calling {@code to} with {@code data} without a transaction. */
    public String call(String to, String data) {
        return ask("eth_call " + to, web3j.ethCall(Transaction.createEthCallTransaction(null, to, data),
                DefaultBlockParameterName.LATEST), r -> r.getValue());
    }

    /** The next nonce of {@code account}, counting its transactions still in the node's pool. */
    public BigInteger pendingNonce(String account) {
        return ask("eth_getTransactionCount " + account,
                web3j.ethGetTransactionCount(account, DefaultBlockParameterName.PENDING), r -> r.getTransactionCount());
    }

    /**
     * Signs and sends a transaction calling {@code to} with {@code data}, or creating a contract when
     * {@code to} is null, with the gas the node estimates plus a margin and the node's gas price.
     *
     * @return the transaction's hash
     */
    public String send(Credentials from, long chainId, BigInteger nonce, String to, String data) {
        String account = from.getAddress();
        Transaction call = to == null
                ? Transaction.createContractTransaction(account, null, null, data)
                : Transaction.createFunctionCallTransaction(account, null, null, null, to, data);
        BigInteger estimate = ask("eth_estimateGas", web3j.ethEstimateGas(call), r -> r.getAmountUsed());
        BigInteger gasLimit = estimate.multiply(BigInteger.valueOf(100 + GAS_MARGIN_PERCENT)).divide(BigInteger.valueOf(100));
        BigInteger gasPrice = ask("eth_gasPrice", web3j.ethGasPrice(), r -> r.getGasPrice());
        RawTransaction tx = to == null
                ? RawTransaction.createContractTransaction(nonce, gasPrice, gasLimit, BigInteger.ZERO, data)
                : RawTransaction.createTransaction(nonce, gasPrice, gasLimit, to, BigInteger.ZERO, data);
        String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, from));
        return ask("eth_sendRawTransaction", web3j.ethSendRawTransaction(signed), r -> {
            if (r.getTransactionHash() == null) {
                throw garbled("eth_sendRawTransaction", "no transaction hash");
            }
            return r.getTransactionHash();
        });
    }

    /**
     * Waits (polling, up to the timeout) for the receipt of transaction {@code hash}.
     *
     * @throws WaveException UNAVAILABLE when it is not mined in time or failed
     */
    public TransactionReceipt receipt(String hash) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String what = "eth_getTransactionReceipt " + hash;
            Optional<TransactionReceipt> r = ask(what, web3j.ethGetTransactionReceipt(hash), reply -> {
                Optional<TransactionReceipt> got = reply.getTransactionReceipt();
                if (got.isPresent()) {
                    // Parsed here, inside ask, so that a garbled number is the node's fault, reported as such.
                    got.get().getBlockNumber();
                    got.get().getGasUsed();
                    if (got.get().getBlockHash() == null || got.get().getTransactionHash() == null) {
                        throw garbled(what, "a receipt without its block or transaction");
                    }
                }
                return got;
            });
            if (r.isPresent()) {
                TransactionReceipt receipt = r.get();
                if (!receipt.isStatusOK()) {
                    throw new WaveException(ErrorCode.UNAVAILABLE, "transaction " + hash + " failed on " + where
                            + " (status " + receipt.getStatus() + ")");
                }
                return receipt;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new WaveException(ErrorCode.UNAVAILABLE, "transaction " + hash + " was not mined by " + where
                        + " within " + timeout.toSeconds() + " s");
            }
            pause();
        }
    }

    /** Waits (polling, up to the timeout) until the node's latest block is at least {@code number}. */
    public void awaitBlock(long number) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (blockNumber() < number) {
            if (System.nanoTime() - deadline > 0) {
                throw new WaveException(ErrorCode.UNAVAILABLE, where + " did not reach block " + number + " within "
                        + timeout.toSeconds() + " s");
            }
            pause();
        }
    }

    private void pause() {
        LockSupport.parkNanos(pollInterval.toNanos());
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new WaveException(ErrorCode.UNAVAILABLE, "interrupted while waiting for " + where);
        }
    }

    /**
     * Sends one request and reads what is needed from the reply with {@code read}; any failure to get a
     * well-formed, error-free answer is UNAVAILABLE.
     */
    private <T extends Response<?>, R> R ask(String what, Request<?, T> request, Function<T, R> read) {
        T reply;
        try {
            reply = request.send();
        } catch (IOException | RuntimeException e) {
            // RuntimeException: web3j reports HTTP errors (ClientConnectionException) and unparseable replies
            // unchecked; none of them may reach our callers.
            throw new WaveException(ErrorCode.UNAVAILABLE, "the Ethereum node at " + where + " did not answer " + what
                    + ": " + describe(e), e);
        }
        if (reply == null) {
            throw garbled(what, "nothing");
        }
        if (reply.hasError()) {
            throw new WaveException(ErrorCode.UNAVAILABLE, "the Ethereum node at " + where + " refused " + what + ": "
                    + (reply.getError() == null ? "no reason given" : reply.getError().getMessage()));
        }
        try {
            return read.apply(reply);
        } catch (WaveException e) {
            throw e;
        } catch (RuntimeException e) {
            // Numbers are decoded lazily by web3j's getters: a garbled quantity surfaces here.
            throw new WaveException(ErrorCode.UNAVAILABLE, "the Ethereum node at " + where + " answered " + what
                    + " with something that does not parse: " + describe(e), e);
        }
    }

    private WaveException garbled(String what, String got) {
        return new WaveException(ErrorCode.UNAVAILABLE, "the Ethereum node at " + where + " answered " + what + " with "
                + got);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }

    @Override
    public void close() {
        try {
            web3j.shutdown();
        } catch (RuntimeException e) {
            // Closing an HTTP client that failed is still closed.
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
