package dev.nodedoctor.cli;

import dev.nodedoctor.sys.KernelFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;

/** The `nodedoctor` command: subcommands, version, and one place that turns errors into exit codes. */
@Command(name = "nodedoctor", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "Finds out why a Linux or Kubernetes node, pod or process is slow, burns CPU or runs out of "
                + "memory, and says so with the evidence and the fix.",
        subcommands = {DiagnoseCommand.class, TopCommand.class, MemoryCommand.class, CaptureCommand.class, KubeCommand.class,
            OomCommand.class, StraceCommand.class, KernelLogCommand.class, ProbeCommand.class, LatencyCommand.class,
            PprofCommand.class, CollapseCommand.class, FlameCommand.class,
            ExplainCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  ok", "  1  findings at or above --fail-on", "  2  usage error",
            "  3  unreadable or invalid input", "  4  permission denied"})
public final class Main implements Runnable {

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
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
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
