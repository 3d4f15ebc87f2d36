package io.wave.agent.daemon;

import io.wave.crypto.objects.SecretBox;
import io.wave.ledger.Ledger;
import java.nio.file.Path;
import java.util.function.Consumer;

/** An agent for in-process tests: home under {@code dir}, a free port, and the lightest Argon2id for its keys. */
public final class TestAgent {
    private TestAgent() {}

    public static Consumer<Agent.Config> config(Path dir, Ledger ledger, String passphrase) {
        return c -> {
            c.home = dir.resolve("agent");
            c.ledger = ledger;
            c.passphrase = passphrase.toCharArray();
            c.port = 0;
            c.kdf = new SecretBox.KdfParams(SecretBox.MIN_MEMORY_KIB, 1, 1);
        };
    }
}
