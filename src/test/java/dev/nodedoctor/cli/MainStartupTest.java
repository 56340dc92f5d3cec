package dev.nodedoctor.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A one-shot command builds only its own picocli model (start-up cost); everything else gets the whole
 * tree, and a command behaves the same either way.
 */
class MainStartupTest {
    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertThat(Main.commandLine(new String[] {"latency", "x.log"}).getSubcommands()).containsOnlyKeys("latency");
        assertThat(Main.commandLine(new String[] {"--debug", "flame", "-"}).getSubcommands()).containsOnlyKeys("flame");
    }

    @Test
    void listingsCompletionAndUnknownNamesGetTheWholeTree() {
        int all = Main.SUBCOMMANDS.size();
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "latency"}, {"completion"}, {"bogus"}, {"-V"}}) {
            assertThat(Main.commandLine(args).getSubcommands()).as(String.join(" ", args)).hasSize(all);
        }
        assertThat(Main.commandLine().getSubcommands()).hasSize(all);
    }

    @Test
    void aCommandRunsTheSameInTheNarrowTree() {
        String[][] cases = {{"latency", "--help"}, {"--debug", "latency", "/nonexistent/access.log"},
            {"latency", "--bogus-option"}};
        for (String[] args : cases) {
            String[] narrow = run(Main.commandLine(args), args);
            String[] whole = run(Main.commandLine(), args);
            assertThat(narrow).as(String.join(" ", args)).containsExactly(whole);
        }
    }

    private static String[] run(CommandLine cl, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString().replaceAll("\\s+at .*", "")};
    }
}
