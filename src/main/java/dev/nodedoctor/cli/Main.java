package dev.nodedoctor.cli;

import dev.nodedoctor.sys.KernelFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;

/** The `nodedoctor` command: subcommands, version, and one place that turns errors into exit codes. */
@Command(name = "nodedoctor", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "Finds out why a Linux or Kubernetes node, pod or process is slow, burns CPU or runs out of "
                + "memory, and says so with the evidence and the fix.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  ok", "  1  findings at or above --fail-on", "  2  usage error",
            "  3  unreadable or invalid input", "  4  permission denied"})
public final class Main implements Runnable {
    /** The subcommands, in the order `nodedoctor --help` lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(DiagnoseCommand.class, TopCommand.class, MemoryCommand.class,
            CaptureCommand.class, KubeCommand.class, OomCommand.class, StraceCommand.class, KernelLogCommand.class,
            ProbeCommand.class, LatencyCommand.class, PprofCommand.class, CollapseCommand.class, FlameCommand.class,
            ExplainCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class);

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
        int code;
        try {
            code = run(args);
        } catch (OutOfMemoryError e) {
            // picocli lets Errors through; what filled the heap is garbage by now, so this line can be printed
            System.err.println("nodedoctor: error: " + outOfMemory(Runtime.getRuntime().maxMemory()));
            code = ExitCode.BAD_INPUT;
        }
        System.exit(code);
    }

    /** The out-of-memory message: the heap this process may use, and how to give it more. */
    static String outOfMemory(long maxHeapBytes) {
        return "out of memory: this input needs more than the " + (maxHeapBytes >> 20) + " MiB of heap this command "
                + "may use (for stacks and profiles: very many distinct stacks); run with more, e.g. "
                + "NODEDOCTOR_JAVA_OPTS=-Xmx4g";
    }

    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The whole command tree (for help, completion and tests). */
    public static CommandLine commandLine() {
        return commandLine((String[]) null);
    }

    /**
     * The command tree for running {@code args}: when they name one subcommand, only that one is built.
     * picocli reflects over every option of every command it is given, which cost about half a CPU second
     * at each start on these machines; a one-shot command needs only its own. Anything else (no subcommand,
     * {@code help}, {@code completion}, an unknown name) gets the whole tree, so its listings and errors
     * are unchanged.
     */
    public static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = args == null ? null : named(args);
        for (Class<?> c : SUBCOMMANDS) {
            if (only == null || c == only) {
                cl.addSubcommand(c);
            }
        }
        Errors errors = new Errors();
        cl.setExecutionExceptionHandler(errors);
        cl.setParameterExceptionHandler(errors);
        return cl;
    }

    /**
     * Errors to exit codes and one line on stderr. A class, not lambdas: picocli's handler interfaces are Java 5
     * class files, so lambdas implementing them are spun at every start (~10 ms) instead of coming from the
     * class-data archive.
     */
    private static final class Errors implements CommandLine.IExecutionExceptionHandler,
            CommandLine.IParameterExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
            return handle(e, cl, parsed);
        }

        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("nodedoctor: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more.");
            err.flush();
            return ExitCode.USAGE;
        }
    }

    /** The subcommand class the first non-option argument names, unless it needs the whole tree. */
    private static Class<?> named(String[] args) {
        for (String a : args) {
            if (a.startsWith("-")) {
                continue; // --debug, before the subcommand
            }
            for (Class<?> c : SUBCOMMANDS) {
                Command cmd = c.getAnnotation(Command.class);
                if (cmd != null && (cmd.name().equals(a) || List.of(cmd.aliases()).contains(a))) {
                    return c == CompletionCommand.class || c == CommandLine.HelpCommand.class ? null : c;
                }
            }
            return null;
        }
        return null;
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
            // picocli asks for the version at every start (subcommands inherit it): String.join, not '+', whose
            // first use spins method handles (~10 ms of a start of collapse or flame)
            return new String[] {String.join(" ", "nodedoctor", p.getProperty("version", "unknown")),
                String.join(" ", "Java", System.getProperty("java.version"), "on", System.getProperty("os.name"),
                        System.getProperty("os.version"))};
        }
    }
}
