package io.wave.agent.cli;

import io.wave.agent.files.WaveFiles;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.io.Console;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * Where a passphrase comes from, in order: {@code --passphrase-file}, the {@code WAVE_PASSPHRASE}
 * environment variable, a prompt on the terminal. Never from the command line itself, where other users
 * of the machine could read it.
 */
final class PassphraseOptions {
    static final String ENV = "WAVE_PASSPHRASE";

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Read the passphrase from the first line of FILE (else $" + ENV + ", else a prompt).")
    Path passphraseFile;

    char[] get(CliContext ctx, boolean confirm) {
        if (passphraseFile != null) {
            String text = new String(WaveFiles.read(passphraseFile), StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String line = (nl >= 0 ? text.substring(0, nl) : text);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                throw new WaveException(ErrorCode.PASSPHRASE_REQUIRED, passphraseFile + ": the first line is empty");
            }
            return line.toCharArray();
        }
        String env = ctx.env().apply(ENV);
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        Console console = ctx.console().get();
        if (console == null) {
            throw new WaveException(ErrorCode.PASSPHRASE_REQUIRED,
                    "a passphrase is needed: give --passphrase-file FILE or set " + ENV
                            + (confirm ? ", or choose --no-passphrase" : ""));
        }
        char[] first = console.readPassword("Passphrase: ");
        if (first == null || first.length == 0) {
            throw new WaveException(ErrorCode.PASSPHRASE_REQUIRED, "no passphrase entered");
        }
        if (confirm) {
            char[] again = console.readPassword("Passphrase again: ");
            if (again == null || !Arrays.equals(first, again)) {
                throw new WaveException(ErrorCode.BAD_PASSPHRASE, "the passphrases differ");
            }
        }
        return first;
    }
}
