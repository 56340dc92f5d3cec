package dev.nodedoctor.cli;

import dev.nodedoctor.diagnose.RuleCatalogue;
import dev.nodedoctor.diagnose.Threshold;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain a finding id (what it means, the evidence, why it happens, the fix), list the ids, "
                + "or list the thresholds.")
public final class ExplainCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "ID", description = "A finding id such as cpu.throttled.")
    String id;

    @Option(names = "--thresholds", description = "List every threshold with its default and origin.")
    boolean thresholds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (thresholds) {
            for (Threshold t : RuleCatalogue.thresholds()) {
                out.printf("%s = %s%n    %s%n    default from: %s%n", t.key(),
                        dev.nodedoctor.diagnose.Evidence.format(t.defaultValue()), t.meaning(), t.origin());
            }
            out.flush();
            return ExitCode.OK;
        }
        if (id == null) {
            out.println("Finding ids (nodedoctor explain ID):");
            RuleCatalogue.ids().forEach(i -> out.println("  " + i));
            out.flush();
            return ExitCode.OK;
        }
        if (!id.matches("[a-z0-9.-]+")) {
            throw new UserError(ExitCode.USAGE, "'" + id + "' is not a finding id; run `nodedoctor explain` for the list");
        }
        try (InputStream in = ExplainCommand.class.getResourceAsStream("/dev/nodedoctor/findings/" + id + ".md")) {
            if (in == null) {
                throw new UserError(ExitCode.USAGE, "no finding '" + id + "'; known: " + String.join(", ", RuleCatalogue.ids()));
            }
            out.print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        out.flush();
        return ExitCode.OK;
    }
}
