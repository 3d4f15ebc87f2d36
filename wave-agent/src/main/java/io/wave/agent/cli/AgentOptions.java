package io.wave.agent.cli;

import io.wave.agent.client.AgentApi;
import io.wave.agent.client.AgentClient;
import io.wave.agent.files.WaveFiles;
import io.wave.crypto.WaveException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Whether a verb runs through a running agent: {@code --agent URL}, else {@code $WAVE_AGENT}, else locally.
 * Verbs that change state send the agent's API token: {@code --agent-token-file}, else
 * {@code $WAVE_AGENT_TOKEN}, else the token file in {@code $WAVE_HOME/agent} (where a local agent keeps it).
 */
final class AgentOptions {
    @Option(names = "--agent", paramLabel = "URL", description = {
            "Run through the agent at URL (http://127.0.0.1:8410), with the same output and exit codes.",
            "Default: $" + AgentClient.ENV + ", else run locally."})
    String agent;

    @Option(names = "--agent-token-file", paramLabel = "FILE", description = {
            "The agent's API token, for verbs that change state. Default: $" + AgentClient.ENV_TOKEN + ", else",
            "$WAVE_HOME/agent/" + AgentApi.TOKEN_FILE + "."})
    Path tokenFile;

    /** The agent to run through, or null to run locally. */
    AgentClient client(CliContext ctx) {
        String url = agent != null ? agent : ctx.env().apply(AgentClient.ENV);
        if (url == null || url.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw WaveException.badArgument("--agent '" + url + "' is not a URL: " + e.getReason());
        }
        return AgentClient.of(uri, token(ctx));
    }

    private String token(CliContext ctx) {
        if (tokenFile != null) {
            return new String(WaveFiles.read(tokenFile), StandardCharsets.UTF_8).strip();
        }
        String env = ctx.env().apply(AgentClient.ENV_TOKEN);
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        Path local = LedgerOptions.home(ctx).resolve("agent").resolve(AgentApi.TOKEN_FILE);
        return Files.isReadable(local) ? new String(WaveFiles.read(local), StandardCharsets.UTF_8).strip() : null;
    }

    /** Refuses an option that has no meaning through an agent. */
    static void notWithAgent(boolean given, String option) {
        if (given) {
            throw WaveException.badArgument(option + " cannot be used with --agent");
        }
    }
}
