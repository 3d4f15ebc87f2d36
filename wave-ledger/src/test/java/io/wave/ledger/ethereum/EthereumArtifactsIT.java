package io.wave.ledger.ethereum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.codegen.SolidityFunctionWrapperGenerator;

/**
 * The committed build products of the registry contract are what its committed source gives: the ABI and
 * bytecode in eth/artifacts/ recompile identically with the pinned solc-js, and the Java wrapper
 * regenerates identically from them with web3j's SolidityFunctionWrapperGenerator.
 *
 * <p>After changing WaveRegistry.sol, run eth/regenerate.sh: it runs this test with WAVE_REGENERATE=1,
 * which writes the products instead of comparing them.
 */
class EthereumArtifactsIT {
    private static final Path SOURCE = Path.of("src/main/solidity/WaveRegistry.sol");
    private static final Path ARTIFACTS = Path.of("eth/artifacts");
    private static final Path WRAPPER = Path.of("src/main/java/io/wave/ledger/ethereum/internal/WaveRegistry.java");
    private static final String WRAPPER_PACKAGE = "io.wave.ledger.ethereum.internal";
    private static final boolean REGENERATE = "1".equals(System.getenv("WAVE_REGENERATE"));

    @TempDir
    Path tmp;

    @Test
    void compiledAbiAndBytecode_areWhatTheSourceCompilesTo() throws Exception {
        assertTrue(Files.isRegularFile(SOURCE), SOURCE + " is the contract's source");
        Path fresh = compile();
        for (String f : new String[] {"WaveRegistry.abi", "WaveRegistry.bin"}) {
            if (REGENERATE) {
                Files.createDirectories(ARTIFACTS);
                Files.copy(fresh.resolve(f), ARTIFACTS.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            assertEquals(read(fresh.resolve(f)), read(ARTIFACTS.resolve(f)),
                    ARTIFACTS.resolve(f) + " is stale: run wave-ledger/eth/regenerate.sh");
        }
    }

    @Test
    void javaWrapper_isWhatTheGeneratorMakesOfTheArtifacts() throws Exception {
        Path out = tmp.resolve("java");
        new SolidityFunctionWrapperGenerator(ARTIFACTS.resolve("WaveRegistry.bin").toFile(),
                ARTIFACTS.resolve("WaveRegistry.abi").toFile(), out.toFile(), "WaveRegistry", WRAPPER_PACKAGE,
                true, false, 20).generate();
        Path generated = out.resolve(WRAPPER_PACKAGE.replace('.', File.separatorChar)).resolve("WaveRegistry.java");
        if (REGENERATE) {
            Files.copy(generated, WRAPPER, StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(read(generated), read(WRAPPER), WRAPPER + " is stale: run wave-ledger/eth/regenerate.sh");
    }

    /** Runs eth/compile.js with the solc-js the lock file pins, into a temporary directory. */
    private Path compile() throws IOException, InterruptedException {
        Path out = tmp.resolve("artifacts");
        Path log = tmp.resolve("solc.log");
        Process p = new ProcessBuilder("node", "compile.js", out.toAbsolutePath().toString()).directory(new File("eth"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done && p.exitValue() == 0, "node eth/compile.js failed: " + read(log));
        return out;
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
