package dev.nodedoctor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nodedoctor.kube.CgroupValues;
import dev.nodedoctor.kube.KubeResources;
import dev.nodedoctor.kube.ResourceSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nodedoctor kube resources}: the cgroup values kubelet sets for a container with the given requests
 * and limits, to compare with what a node's cgroup files say. Parses and renders only; the arithmetic is in
 * {@link KubeResources}.
 */
@Command(name = "resources", mixinStandardHelpOptions = true,
        description = {
                "Show the cgroup values kubelet sets for a container with these requests and limits"
                        + " (cgroup v1 and v2), its QoS class and oom_score_adj.",
                "Quantities are Kubernetes quantities: 250m, 0.5, 2, 128Mi, 1Gi, 1e3."
        })
public final class KubeResourcesCommand implements Callable<Integer> {

    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--cpu-request", paramLabel = "QTY", description = "CPU request, e.g. 250m or 0.5")
    String cpuRequest;

    @Option(names = "--cpu-limit", paramLabel = "QTY", description = "CPU limit, e.g. 1 or 1500m")
    String cpuLimit;

    @Option(names = "--memory-request", paramLabel = "QTY", description = "memory request, e.g. 64Mi")
    String memoryRequest;

    @Option(names = "--memory-limit", paramLabel = "QTY", description = "memory limit, e.g. 128Mi")
    String memoryLimit;

    @Option(names = "--node-memory", paramLabel = "QTY",
            description = "the node's memory capacity (MemTotal), e.g. 16Gi; a Burstable oom_score_adj depends on it")
    String nodeMemory;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @Override
    public Integer call() {
        CgroupValues values;
        try {
            ResourceSpec resources = new ResourceSpec(millis("--cpu-request", cpuRequest), millis("--cpu-limit", cpuLimit),
                    bytes("--memory-request", memoryRequest), bytes("--memory-limit", memoryLimit));
            values = KubeResources.forContainer(resources, bytes("--node-memory", nodeMemory));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("nodedoctor: error: " + e.getMessage());
            return EXIT_USAGE;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(values) : table(values));
        out.flush();
        return 0;
    }

    private static Long millis(String option, String text) {
        try {
            return ResourceSpec.cpuMillis(text);
        } catch (IllegalArgumentException e) {
            throw named(option, e);
        }
    }

    private static Long bytes(String option, String text) {
        try {
            return ResourceSpec.memoryBytes(text);
        } catch (IllegalArgumentException e) {
            throw named(option, e);
        }
    }

    /** The error names the option, so that the user knows which value to fix. */
    private static IllegalArgumentException named(String option, IllegalArgumentException e) {
        return new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }

    static String table(CgroupValues v) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"QoS class", v.qos().label()});
        rows.add(new String[] {"oom_score_adj", v.oomScoreAdj() == null
                ? "depends on node memory: give --node-memory" : v.oomScoreAdj().toString()});
        rows.add(new String[] {"cgroup v1", ""});
        rows.add(new String[] {"  cpu.shares", Long.toString(v.shares())});
        rows.add(new String[] {"  cpu.cfs_quota_us", Long.toString(v.quotaMicros())
                + (v.quotaMicros() < 0 ? " (no limit)" : "")});
        rows.add(new String[] {"  cpu.cfs_period_us", Long.toString(v.periodMicros())});
        rows.add(new String[] {"  memory.limit_in_bytes", v.memoryLimitBytes() < 0
                ? "-1 (no limit)" : Long.toString(v.memoryLimitBytes())});
        rows.add(new String[] {"cgroup v2", ""});
        rows.add(new String[] {"  cpu.weight", v.weight() + (v.weightNewRuntimes() == v.weight() ? ""
                : " (container scope with runc >= 1.3.2 or newer crun: " + v.weightNewRuntimes() + ")")});
        rows.add(new String[] {"  cpu.max", v.cpuMax()});
        rows.add(new String[] {"  memory.max", v.memoryMax()});

        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            String line = r[1].isEmpty() ? r[0] : String.format("%-" + width + "s  %s", r[0], r[1]);
            sb.append(line).append(System.lineSeparator());
        }
        return sb.toString();
    }

    static String json(CgroupValues v) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("qosClass", v.qos().label());
        if (v.oomScoreAdj() == null) {
            root.putNull("oomScoreAdj");
        } else {
            root.put("oomScoreAdj", v.oomScoreAdj());
        }
        root.put("cpuShares", v.shares());
        root.put("cpuWeight", v.weight());
        root.put("cpuWeightNewRuntimes", v.weightNewRuntimes());
        root.put("cpuQuotaMicros", v.quotaMicros());
        root.put("cpuPeriodMicros", v.periodMicros());
        root.put("memoryLimitBytes", v.memoryLimitBytes());
        ObjectNode v1 = root.putObject("cgroupV1");
        v1.put("cpu.shares", v.shares());
        v1.put("cpu.cfs_quota_us", v.quotaMicros());
        v1.put("cpu.cfs_period_us", v.periodMicros());
        v1.put("memory.limit_in_bytes", v.memoryLimitBytes());
        ObjectNode v2 = root.putObject("cgroupV2");
        v2.put("cpu.weight", v.weight());
        v2.put("cpu.max", v.cpuMax());
        v2.put("memory.max", v.memoryMax());
        return root.toString() + System.lineSeparator();
    }
}
