package dev.nodedoctor.cli;

import dev.nodedoctor.sys.KernelFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/** The `nodedoctor` command: subcommands, version, and one place that turns errors into exit codes. */
@Command(name = "nodedoctor", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "Finds out why a Linux or Kubernetes node, pod or process is slow, burns CPU or runs out of "
                + "memory, and says so with the evidence and the fix.",
        // the subcommands are SUBCOMMANDS, added by commandLine(): see there
        footerHeading = "%nExit codes:%n",
        footer = {"  0  ok", "  1  findings at or above --fail-on", "  2  usage error",
            "  3  unreadable or invalid input", "  4  permission denied"})
public final class Main implements Runnable {
    /**
     * The subcommands, in help order. Not in the annotation: picocli would build the model of every one of them
     * at each start (~0.4 s of CPU on these machines); {@link #run} builds only the one the arguments name.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(DiagnoseCommand.class, TopCommand.class, MemoryCommand.class,
            CaptureCommand.class, KubeCommand.class, OomCommand.class, StraceCommand.class, KernelLogCommand.class,
            ProbeCommand.class, LatencyCommand.class, PprofCommand.class, CollapseCommand.class, FlameCommand.class,
            ExplainCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class);

    /** Commands that look at the whole tree (other commands' help, the completion script): never built alone. */
    private static final Set<String> NEED_ALL = Set.of("help", "completion");

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine(args.length > 0 ? args[0] : null).execute(args);
    }

    /** The whole command tree. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command tree with only the subcommand named {@code first} when there is one (same parsing, help and
     * errors for it: picocli inherits the root's options the same way), else with all of them.
     */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = null;
        if (first != null && !NEED_ALL.contains(first)) {
            for (Class<?> c : SUBCOMMANDS) {
                Command a = c.getAnnotation(Command.class);
                if (a.name().equals(first) || Arrays.asList(a.aliases()).contains(first)) {
                    only = c;
                    break;
                }
            }
        }
        for (Class<?> c : SUBCOMMANDS) {
            if (only == null || c == only) {
                cl.addSubcommand(c);
            }
        }
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("nodedoctor: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more.");
            err.flush();
            return ExitCode.USAGE;
        });
        return cl;
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean debug = parsed.hasMatchedOption("--debug")
                || (parsed.commandSpec().root().userObject() instanceof Main m && m.debug);
        int code;
        String message;
        if (e instanceof UserError u) {
            code = u.exitCode();
            message = u.getMessage();
        } else if (e instanceof KernelFileException k) {
            code = k.kind() == KernelFileException.Kind.PERMISSION ? ExitCode.PERMISSION : ExitCode.BAD_INPUT;
            message = k.getMessage();
        } else if (e instanceof IllegalArgumentException) {
            code = ExitCode.USAGE;
            message = e.getMessage();
        } else if (e instanceof java.nio.file.AccessDeniedException a) {
            code = ExitCode.PERMISSION;
            message = a.getFile() + ": permission denied";
        } else if (e instanceof java.nio.file.NoSuchFileException n) {
            code = ExitCode.BAD_INPUT;
            message = n.getFile() + ": no such file";
        } else if (e instanceof IOException) {
            code = ExitCode.BAD_INPUT;
            message = e.getMessage();
        } else {
            code = ExitCode.BAD_INPUT;
            message = "internal error: " + e + " (a bug: please report it with --debug output)";
        }
        err.println("nodedoctor: error: " + message);
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/dev/nodedoctor/version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"nodedoctor " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name") + " "
                        + System.getProperty("os.version")};
        }
    }
}
