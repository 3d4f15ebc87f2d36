package io.wave.agent.cli;

import io.wave.crypto.WaveException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code wave} command line. Every verb answers {@code --help}; errors are one line with a stable
 * code ({@code wave: MALFORMED: ...}) and an exit code from the code, never a stack trace.
 */
@Command(name = "wave", mixinStandardHelpOptions = true, versionProvider = WaveCli.Version.class,
        description = {"Decentralized, delegatable authorization for IoT: entities, grants and proofs.", ""},
        subcommands = {DemoCommand.class, EntityCommand.class, GrantCommand.class, ProveCommand.class, VerifyCommand.class,
                InspectCommand.class, PublishCommand.class, RevokeCommand.class, NameCommand.class, ResolveCommand.class,
                LedgerCommand.class, DeviceCommand.class, SendCommand.class, BenchCommand.class,
                ModelCommand.class, InferCommand.class, AgentCommand.class, GraphCommand.class, HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 a negative answer (proof not valid, no proof found),",
                "2 bad input or arguments, 3 the ledger is unreachable or misbehaving,",
                "70 an internal error (please report it)."})
public final class WaveCli implements Runnable {
    /** Exit code for a defect in wave itself. */
    public static final int INTERNAL_ERROR = 70;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(execute(CliContext.system(), out, err, args));
    }

    /** Runs one command line; the whole CLI, with the world handed in. */
    public static int execute(CliContext context, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = commandLine(context);
        cmd.setOut(out);
        cmd.setErr(err);
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static CommandLine commandLine(CliContext context) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K k = defaults.create(cls);
                if (k instanceof WaveCommand w) {
                    w.context = context;
                }
                return k;
            }
        };
        CommandLine cmd = new CommandLine(new WaveCli(), factory);
        List<Object> added = CliExtension.installed().stream().flatMap(e -> e.commands(context).stream()).toList();
        if (!added.isEmpty()) {
            // The verbs of modules above come before 'help', which stays last in the list.
            CommandLine help = cmd.getCommandSpec().removeSubcommand("help");
            added.forEach(verb -> cmd.addSubcommand(new CommandLine(verb, factory)));
            cmd.addSubcommand(help);
        }
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof WaveException we) {
                err.println("wave: " + we.code() + ": " + we.getMessage());
                return we.code().exitCode();
            }
            err.println("wave: internal error: " + ex);
            if (context.env().apply("WAVE_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            return INTERNAL_ERROR;
        });
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println("wave: " + ex.getMessage());
            err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more.");
            return 2;
        });
        return cmd;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = WaveCli.class.getPackage().getImplementationVersion();
            return new String[] {"wave " + (v == null ? "(development build)" : v)};
        }
    }
}
