package dev.nodedoctor.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A start that builds only the named subcommand behaves as the whole tree for that subcommand. */
class MainOneSubcommandTest {
    static String usage(CommandLine cl) {
        StringWriter w = new StringWriter();
        cl.usage(new PrintWriter(w), CommandLine.Help.Ansi.OFF);
        return w.toString();
    }

    static String run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return code + "\n" + out + "\n" + err;
    }

    @Test
    void everySubcommandAloneHasTheSameHelpAndErrorsAsInTheWholeTree() {
        Map<String, CommandLine> all = Main.commandLine().getSubcommands();
        assertThat(all).hasSize(Main.SUBCOMMANDS.size());
        for (Map.Entry<String, CommandLine> e : all.entrySet()) {
            String name = e.getKey();
            CommandLine alone = Main.commandLine(new String[] {name});
            if (name.equals("help") || name.equals("completion")) {
                assertThat(alone.getSubcommands()).as(name).hasSize(all.size());
                continue;
            }
            assertThat(alone.getSubcommands().keySet()).as(name).containsExactly(name);
            assertThat(usage(alone.getSubcommands().get(name))).as(name).isEqualTo(usage(e.getValue()));
            for (String[] args : new String[][] {{name, "--help"}, {name, "--version"}, {name, "--no-such-option"}}) {
                assertThat(run(Main.commandLine(new String[] {name}), args)).as(String.join(" ", args))
                        .isEqualTo(run(Main.commandLine(), args));
            }
        }
    }

    @Test
    void unknownOrMissingNamesGetTheWholeTree() {
        int n = Main.SUBCOMMANDS.size();
        assertThat(Main.commandLine(new String[] {"colapse"}).getSubcommands()).hasSize(n);
        assertThat(Main.commandLine(new String[] {"--help"}).getSubcommands()).hasSize(n);
        assertThat(Main.commandLine((String[]) null).getSubcommands()).hasSize(n);
        assertThat(run(Main.commandLine(new String[] {"colapse"}), "colapse")).isEqualTo(run(Main.commandLine(), "colapse"));
    }
}
