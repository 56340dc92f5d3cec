package dev.nodedoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class KubeResourcesCommandTest {

    /** What one run printed, and its exit code. */
    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cmd = new CommandLine(new KubeResourcesCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void tableWithKubeletsNumbers() {
        Run r = run("--cpu-request", "50m", "--cpu-limit", "100m");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        // 50 * 1024 / 1000 = 51 shares; 100m * 100000 / 1000 = 10000 µs
        assertThat(r.out()).containsPattern("(?m)^\\s*cpu\\.shares\\s+51$");
        assertThat(r.out()).containsPattern("(?m)^\\s*cpu\\.cfs_quota_us\\s+10000$");
        assertThat(r.out()).containsPattern("(?m)^\\s*cpu\\.cfs_period_us\\s+100000$");
        assertThat(r.out()).containsPattern("(?m)^\\s*memory\\.limit_in_bytes\\s+-1 \\(no limit\\)$");
        // 1 + (49 * 9999) / 262142 = 2
        assertThat(r.out()).containsPattern("(?m)^\\s*cpu\\.weight\\s+2\\b");
        assertThat(r.out()).containsPattern("(?m)^\\s*cpu\\.max\\s+10000 100000$");
        assertThat(r.out()).containsPattern("(?m)^\\s*memory\\.max\\s+max$");
        assertThat(r.out()).containsPattern("(?m)^QoS class\\s+Burstable$");
        // no memory request: 1000 - 0, lowered to 999
        assertThat(r.out()).containsPattern("(?m)^oom_score_adj\\s+999$");
    }

    @Test
    void theColumnsAreAligned() {
        Run r = run("--cpu-request", "50m", "--cpu-limit", "100m");
        int[] valueColumns = r.out().lines().filter(l -> l.matches(".*\\S\\s{2,}\\S.*"))
                .mapToInt(l -> l.replaceFirst("^(\\s*\\S+(?: \\S+)*\\s{2,}).*$", "$1").length()).distinct().toArray();
        assertThat(valueColumns).hasSize(1);
    }

    @Test
    void theBurstablePodOfTheFixtureReadme() {
        // cgroup2-debian-6.1 README: cpu request 200m, limit 1; memory 32Mi/64Mi; MemTotal 983484 kB;
        // the container's cpu.weight 8, cpu.max "100000 100000", memory.max 67108864, oom_score_adj 967
        Run r = run("--cpu-request", "200m", "--cpu-limit", "1", "--memory-request", "32Mi", "--memory-limit", "64Mi",
                "--node-memory", "983484Ki");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("(?m)^\\s*cpu\\.shares\\s+204$")
                .containsPattern("(?m)^\\s*cpu\\.weight\\s+8\\b")
                .containsPattern("(?m)^\\s*cpu\\.max\\s+100000 100000$")
                .containsPattern("(?m)^\\s*memory\\.max\\s+67108864$")
                .containsPattern("(?m)^\\s*memory\\.limit_in_bytes\\s+67108864$")
                .containsPattern("(?m)^oom_score_adj\\s+967$");
    }

    @Test
    void burstableWithoutNodeMemorySaysWhatIsMissing() {
        Run r = run("--cpu-request", "200m", "--memory-request", "32Mi");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("(?m)^oom_score_adj\\s+.*--node-memory");
    }

    @Test
    void json() throws Exception {
        Run r = run("--cpu-request", "500m", "--cpu-limit", "500m", "--memory-request", "128Mi", "--memory-limit", "128Mi", "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().strip().lines()).hasSize(1);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("qosClass").asText()).isEqualTo("Guaranteed");
        assertThat(j.get("oomScoreAdj").asInt()).isEqualTo(-997);
        assertThat(j.get("cpuShares").asLong()).isEqualTo(512);
        assertThat(j.get("cpuWeight").asLong()).isEqualTo(20); // 1 + (510 * 9999) / 262142
        assertThat(j.get("cpuQuotaMicros").asLong()).isEqualTo(50_000);
        assertThat(j.get("cpuPeriodMicros").asLong()).isEqualTo(100_000);
        assertThat(j.get("memoryLimitBytes").asLong()).isEqualTo(134_217_728);
        assertThat(j.get("cgroupV1").get("cpu.shares").asLong()).isEqualTo(512);
        assertThat(j.get("cgroupV1").get("cpu.cfs_quota_us").asLong()).isEqualTo(50_000);
        assertThat(j.get("cgroupV1").get("cpu.cfs_period_us").asLong()).isEqualTo(100_000);
        assertThat(j.get("cgroupV1").get("memory.limit_in_bytes").asLong()).isEqualTo(134_217_728);
        assertThat(j.get("cgroupV2").get("cpu.weight").asLong()).isEqualTo(20);
        assertThat(j.get("cgroupV2").get("cpu.max").asText()).isEqualTo("50000 100000");
        assertThat(j.get("cgroupV2").get("memory.max").asText()).isEqualTo("134217728");
    }

    @Test
    void jsonWithoutLimitsAndAnUnknownOomScoreAdj() throws Exception {
        JsonNode j = new ObjectMapper().readTree(run("--memory-request", "1Gi", "--json").out());
        assertThat(j.get("qosClass").asText()).isEqualTo("Burstable");
        assertThat(j.get("oomScoreAdj").isNull()).isTrue();
        assertThat(j.get("cpuShares").asLong()).isEqualTo(2);
        assertThat(j.get("cgroupV1").get("cpu.cfs_quota_us").asLong()).isEqualTo(-1);
        assertThat(j.get("cgroupV2").get("cpu.max").asText()).isEqualTo("max 100000");
        assertThat(j.get("cgroupV2").get("memory.max").asText()).isEqualTo("max");
    }

    @Test
    void badQuantityIsAUsageError() {
        Run r = run("--cpu-limit", "12x");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("nodedoctor: error: --cpu-limit: invalid quantity '12x': expected");
    }

    @Test
    void otherUsageErrors() {
        Run above = run("--cpu-request", "2", "--cpu-limit", "1");
        assertThat(above.exitCode()).isEqualTo(2);
        assertThat(above.err()).startsWith("nodedoctor: error: CPU request 2000m is above its limit 1000m");

        Run negative = run("--memory-limit", "-1Gi");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).startsWith("nodedoctor: error: --memory-limit: quantity '-1Gi' is negative");

        Run node = run("--node-memory", "16GB");
        assertThat(node.exitCode()).isEqualTo(2);
        assertThat(node.err()).startsWith("nodedoctor: error: --node-memory: invalid quantity '16GB'");
    }
}
