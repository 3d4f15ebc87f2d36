package io.wave.ledger.ethereum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.web3j.crypto.Credentials;

/** The ledger URI users type after {@code --ledger}, and where the account key comes from. */
class EthereumConfigTest {
    private static final String ADDRESS = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String CHECKSUMMED = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    /** A throwaway key made up for this test; it holds nothing on any chain. */
    private static final String KEY = "0x1111111111111111111111111111111111111111111111111111111111111111";

    @TempDir
    Path dir;

    @Test
    void parse_readsNodeContractAndOptions() {
        EthereumConfig c = EthereumConfig.parse("ethereum:http://127.0.0.1:8545?contract=" + CHECKSUMMED
                + "&confirmations=3&batch=20", KeySource.none());

        assertEquals("http://127.0.0.1:8545", c.rpc().toString());
        assertEquals(ADDRESS, c.contract(), "addresses are kept in lower case");
        assertEquals(3, c.confirmations());
        assertEquals(20, c.batchSize());
        assertEquals(c, EthereumConfig.parse(c.toUri(), c.key()), "toUri reads back");
    }

    @Test
    void parse_withoutOptions_takesDefaultsAndNoContract() {
        EthereumConfig c = EthereumConfig.parse("ethereum:https://node.example:443", KeySource.none());

        assertNull(c.contract());
        assertEquals(EthereumConfig.DEFAULT_CONFIRMATIONS, c.confirmations());
        assertEquals(EthereumConfig.DEFAULT_BATCH_SIZE, c.batchSize());
        WaveException e = assertThrows(WaveException.class, c::requireContract);
        assertEquals(ErrorCode.BAD_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("?contract=0x"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1:8545?contract=" + ADDRESS + "| written ethereum:",
        "ethereum:| URL is missing",
        "ethereum:ftp://127.0.0.1:8545| must be http",
        "ethereum:127.0.0.1:8545| must be http",
        "ethereum:http://:8545| names no host",
        "ethereum:http://h:8545?contract=0x1234| not an address",
        "ethereum:http://h:8545?contract=0x5FbDB2315678afecb367f032d93F642f64180aA3| EIP-55",
        "ethereum:http://h:8545?contract=" + ADDRESS + "&gas=1| none of: contract, confirmations, batch",
        "ethereum:http://h:8545?contract=" + ADDRESS + "&contract=" + ADDRESS + "| given twice",
        "ethereum:http://h:8545?confirmations=two| not a whole number",
        "ethereum:http://h:8545?confirmations=-1| between 0 and",
        "ethereum:http://h:8545?batch=0| between 1 and",
        "ethereum:http://h:8545?batch=100000| between 1 and",
        "ethereum:http://h:8545?contract| not NAME=VALUE",
        "ethereum:http://h:8545?batch=%zz| bad %-escape",
    })
    void parse_refusesWithAMessageNamingTheProblem(String uri, String expected) {
        WaveException e = assertThrows(WaveException.class, () -> EthereumConfig.parse(uri, KeySource.none()));

        assertEquals(ErrorCode.BAD_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(expected.strip()), e.getMessage());
    }

    @Test
    void toString_leavesOutTheNodesPathWhereProvidersPutApiKeys() {
        EthereumConfig c = EthereumConfig.parse("ethereum:https://rpc.example/v3/an-api-key?contract=" + ADDRESS,
                KeySource.none());

        assertFalse(c.toString().contains("an-api-key"), c.toString());
        assertEquals("https://rpc.example", c.rpcForMessages());
    }

    @Test
    void keyFile_holdsHexWithOrWithout0x() throws Exception {
        Path f = dir.resolve("eth.key");
        Files.writeString(f, KEY + "\n");
        Credentials fromFile = KeySource.file(f).load();
        Files.writeString(f, KEY.substring(2));

        assertEquals(fromFile.getAddress(), KeySource.file(f).load().getAddress());
        assertEquals(fromFile.getAddress(), KeySource.environment(Map.of(KeySource.ENV, KEY)).load().getAddress());
        assertEquals(fromFile.getAddress(), Credentials.create(KEY.substring(2)).getAddress());
    }

    @Test
    void keySource_refusesBadKeysWithoutEchoingThem() throws Exception {
        String typo = KEY.substring(0, 65) + "g";
        Path f = dir.resolve("eth.key");
        Files.writeString(f, typo);
        for (KeySource s : new KeySource[] {KeySource.file(f), KeySource.environment(Map.of(KeySource.ENV, typo))}) {
            WaveException e = assertThrows(WaveException.class, s::load);
            assertEquals(ErrorCode.BAD_ARGUMENT, e.code());
            assertFalse(e.getMessage().contains(typo.substring(2, 20)), "the message never shows the key: " + e.getMessage());
        }
        Files.writeString(f, "0x" + "0".repeat(64));
        assertEquals(ErrorCode.BAD_ARGUMENT, assertThrows(WaveException.class, () -> KeySource.file(f).load()).code());
        assertEquals(ErrorCode.IO_ERROR,
                assertThrows(WaveException.class, () -> KeySource.file(dir.resolve("absent")).load()).code());
    }

    @Test
    void keySource_withoutAKey_saysHowToGiveOne() {
        KeySource none = KeySource.fileOrEnvironment(null, Map.of());
        WaveException e = assertThrows(WaveException.class, none::load);

        assertEquals(ErrorCode.BAD_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("--eth-key-file") && e.getMessage().contains(KeySource.ENV), e.getMessage());
        assertEquals("environment variable " + KeySource.ENV,
                KeySource.fileOrEnvironment(null, Map.of(KeySource.ENV, KEY)).toString());
        assertFalse(KeySource.environment(Map.of(KeySource.ENV, KEY)).toString().contains(KEY.substring(2)));
    }
}
