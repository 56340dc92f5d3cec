package dev.nodedoctor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "kube", mixinStandardHelpOptions = true,
        description = "Kubernetes views derived from cgroups alone (no API server needed).",
        subcommands = {KubeResourcesCommand.class})
public final class KubeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
