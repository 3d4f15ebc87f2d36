package io.wave.agent.cli;

import io.wave.agent.files.EntityFiles;
import io.wave.agent.files.WaveFiles;
import io.wave.crypto.Pem;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.SecretBox;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "entity", mixinStandardHelpOptions = true, description = "Create and show entities (key holders: people, services, devices, models).",
        subcommands = {EntityCommand.Create.class, EntityCommand.Show.class, EntityCommand.Import.class})
final class EntityCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = {"Create an entity and write its secret file; print its id.",
            "The secret is sealed with a passphrase (Argon2id + AES-GCM) unless --no-passphrase is given."})
    static final class Create extends WaveCommand {
        @Option(names = "--out", paramLabel = "FILE", description = "Secret file to write (owner-only); required unless --agent.")
        Path out;

        @Option(names = "--public-out", paramLabel = "FILE", description = "Also write the public entity alone to FILE.")
        Path publicOut;

        @Option(names = "--expiry", paramLabel = "DURATION", defaultValue = "365d",
                description = "How long the entity is valid: 30s, 15m, 12h, 30d (default: ${DEFAULT-VALUE}).")
        String expiry;

        @Option(names = "--no-passphrase",
                description = "Store the secret unencrypted (for test rigs and devices with no operator).")
        boolean noPassphrase;

        @Mixin
        PassphraseOptions passphrase;

        @Option(names = "--force", description = "Replace FILE if it exists.")
        boolean force;

        @Option(names = "--no-publish", description = "Do not publish the entity on the ledger (offline use).")
        boolean noPublish;

        @Mixin
        LedgerOptions ledger;

        @Mixin
        AgentOptions agent;

        @Override
        public Integer call() {
            io.wave.agent.client.AgentClient client = agent.client(context);
            if (client != null) {
                return throughAgent(client);
            }
            if (out == null) {
                throw WaveException.badArgument("--out FILE is needed (the secret file to write)");
            }
            Validity validity = Validity.startingAt(context.clock().instant(), Durations.parse(expiry).getSeconds());
            EntitySecret secret = EntitySecret.create(context.random(), validity);
            if (noPassphrase && passphrase.passphraseFile != null) {
                throw WaveException.badArgument("--no-passphrase and --passphrase-file exclude each other");
            }
            byte[] sealed = null;
            if (!noPassphrase) {
                char[] pass = passphrase.get(context, true);
                try {
                    sealed = SecretBox.seal(secret, pass, SecretBox.DEFAULT, context.random());
                } finally {
                    Arrays.fill(pass, '\0');
                }
            }
            WaveFiles.write(out, EntityFiles.secretFileText(secret, sealed), true, force);
            if (publicOut != null) {
                WaveFiles.write(publicOut, EntityFiles.publicFileText(secret.entity()), false, force);
            }
            if (!noPublish) {
                Publishing.publish(ledger, context, out, List.of(Publishing.entity(secret.entity())));
            }
            out().println(secret.id());
            return 0;
        }

        /** The agent creates the entity in its keystore, sealed under its own passphrase, and publishes it. */
        private int throughAgent(io.wave.agent.client.AgentClient client) {
            AgentOptions.notWithAgent(out != null, "--out (the secret stays in the agent's keystore)");
            AgentOptions.notWithAgent(noPassphrase, "--no-passphrase");
            AgentOptions.notWithAgent(passphrase.passphraseFile != null, "--passphrase-file");
            AgentOptions.notWithAgent(noPublish, "--no-publish");
            var made = client.createEntity(new io.wave.agent.client.AgentApi.EntityRequest(expiry));
            if (publicOut != null) {
                Entity e = io.wave.crypto.objects.UnverifiedEntity.decode(
                        java.util.Base64.getDecoder().decode(made.path("entity").asText())).verify();
                WaveFiles.write(publicOut, EntityFiles.publicFileText(e), false, force);
            }
            out().println(made.path("id").asText());
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = {
            "Give an entity made here (entity create --out) to an agent, which then holds",
            "its key and grants, names and revokes with it; print its id. The agent seals",
            "the key under its own passphrase in its keystore and publishes the entity;",
            "the file stays as it is. Needs an agent (--agent URL or $WAVE_AGENT) and its",
            "API token. The file's passphrase comes from --passphrase-file, else",
            "$WAVE_PASSPHRASE, else a prompt. The key goes only to a loopback agent or",
            "over https."})
    static final class Import extends WaveCommand {
        @Parameters(paramLabel = "FILE", description = "The entity's secret file.")
        Path file;

        @Mixin
        PassphraseOptions passphrase;

        @Mixin
        AgentOptions agent;

        @Override
        public Integer call() {
            io.wave.agent.client.AgentClient client = agent.client(context);
            if (client == null) {
                throw WaveException.badArgument("entity import gives an entity's key to an agent: give --agent URL or set "
                        + "$" + io.wave.agent.client.AgentClient.ENV + " (without an agent, use the entity file as it is)");
            }
            EntitySecret secret = EntityFiles.readSecret(file, () -> passphrase.get(context, false));
            out().println(client.importEntity(secret).path("id").asText());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an entity file's public entity (its self-signature is checked).")
    static final class Show extends WaveCommand {
        @Parameters(paramLabel = "FILE", description = "An entity file (secret or public).")
        Path file;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            Entity e = EntityFiles.readPublic(file);
            Map<String, Object> m = Describe.entity(e);
            List<String> types = WaveFiles.readBlocks(file, Pem.ENTITY).stream().map(Pem.Block::type).toList();
            m.put("secret", types.contains(Pem.SEALED_ENTITY_SECRET) ? "encrypted"
                    : types.contains(Pem.ENTITY_SECRET) ? "unencrypted" : "none");
            if (json) {
                printJson(m);
            } else {
                Describe.text(out(), m);
            }
            return 0;
        }
    }
}
