package dev.nodedoctor.profile;

import com.google.perftools.profiles.ProfileProto;
import dev.nodedoctor.testkit.Cli;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Broken profiles give one clear line, never a stack trace or a hang. */
class PprofReaderBadInputTest {
    static byte[] sample() throws Exception {
        return Files.readAllBytes(Fixtures.shared().resolve("conformance/pprof/sample.cpu"));
    }

    static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(raw);
        }
        return b.toByteArray();
    }

    static ProfileProto.Profile decoded() throws Exception {
        return ProfileProto.Profile.parseFrom(PprofReader.gunzipIfNeeded(sample(), "sample.cpu"));
    }

    @Test
    void plainAndGzippedReadTheSame() throws Exception {
        byte[] raw = PprofReader.gunzipIfNeeded(sample(), "x");
        assertThat(PprofReader.isGzip(sample())).isTrue();
        assertThat(PprofReader.parse(raw, "plain").samples()).hasSameSizeAs(PprofReader.parse(sample(), "gz").samples());
    }

    @Test
    void truncatedGzip() throws Exception {
        byte[] cut = Arrays.copyOf(sample(), sample().length / 2);
        assertThatThrownBy(() -> PprofReader.parse(cut, "cut.pprof"))
                .isInstanceOf(ProfileFormatException.class).hasMessageContaining("cut.pprof: truncated gzip");
    }

    @Test
    void corruptGzip() throws Exception {
        byte[] bad = sample().clone();
        for (int i = 20; i < 60; i++) {
            bad[i] = (byte) 0xff;
        }
        assertThatThrownBy(() -> PprofReader.parse(bad, "bad")).isInstanceOf(ProfileFormatException.class)
                .hasMessageStartingWith("bad: ");
    }

    @Test
    void textIsNotAProfile() {
        byte[] text = "main;foo;bar 42\nmain;foo 7\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PprofReader.parse(text, "stacks.txt")).isInstanceOf(ProfileFormatException.class)
                .hasMessageContaining("stacks.txt: not a pprof profile");
    }

    @Test
    void emptyInput() {
        assertThatThrownBy(() -> PprofReader.parse(new byte[0], "empty")).hasMessageContaining("empty input");
    }

    @Test
    void truncatedProtobuf() throws Exception {
        byte[] raw = PprofReader.gunzipIfNeeded(sample(), "x");
        byte[] cut = Arrays.copyOf(raw, raw.length - 7);
        assertThatThrownBy(() -> PprofReader.parse(cut, "cut")).isInstanceOf(ProfileFormatException.class)
                .hasMessageContaining("cut: ");
    }

    @Test
    void danglingLocationId() throws Exception {
        ProfileProto.Profile p = decoded().toBuilder()
                .addSample(ProfileProto.Sample.newBuilder().addLocationId(99999).addValue(1).addValue(1)).build();
        assertThatThrownBy(() -> PprofReader.parse(p.toByteArray(), "p")).hasMessageContaining("location 99999");
    }

    @Test
    void wrongNumberOfValues() throws Exception {
        ProfileProto.Profile p = decoded().toBuilder()
                .addSample(ProfileProto.Sample.newBuilder().addLocationId(1).addValue(1)).build();
        assertThatThrownBy(() -> PprofReader.parse(p.toByteArray(), "p")).hasMessageContaining("1 values for 2 sample types");
    }

    @Test
    void hugeValuesThatOverflowTheTotal() throws Exception {
        ProfileProto.Profile p = decoded().toBuilder()
                .addSample(ProfileProto.Sample.newBuilder().addLocationId(1).addValue(1).addValue(Long.MAX_VALUE))
                .addSample(ProfileProto.Sample.newBuilder().addLocationId(1).addValue(1).addValue(Long.MAX_VALUE)).build();
        PprofProfile parsed = PprofReader.parse(p.toByteArray(), "p");
        assertThatThrownBy(() -> PprofTop.of(parsed, PprofTop.Options.defaults()))
                .isInstanceOf(ProfileFormatException.class).hasMessageContaining("more than 2^63");
    }

    @Test
    void negativeValuesCountByMagnitudeInTheTotal() throws Exception {
        // a diff profile (pprof -diff_base) has negative samples; pprof's total is the sum of magnitudes
        ProfileProto.Profile.Builder b = decoded().toBuilder().clearSample();
        b.addSample(ProfileProto.Sample.newBuilder().addLocationId(1).addValue(-3).addValue(-30_000_000));
        b.addSample(ProfileProto.Sample.newBuilder().addLocationId(1).addValue(1).addValue(10_000_000));
        PprofTop.Report r = PprofTop.of(PprofReader.parse(b.build().toByteArray(), "p"), PprofTop.Options.defaults());
        assertThat(r.total()).isEqualTo(40_000_000);
        assertThat(r.rows().get(0).flat()).isEqualTo(-20_000_000);
        assertThat(r.rows().get(0).flatText()).isEqualTo("-20ms");
        assertThat(r.rows().get(0).flatPercent()).isEqualTo("50.00%");
    }

    @Test
    void zeroSamplesIsAClearErrorOnTheCommandLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("idle.pprof");
        Files.write(f, gzip(decoded().toBuilder().clearSample().build().toByteArray()));
        Cli.Run r = Cli.run("pprof", "top", f.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("has no samples").doesNotContain("Exception");
    }

    @Test
    void commandLineErrors(@TempDir Path dir) throws Exception {
        Path cut = dir.resolve("cut.pprof");
        Files.write(cut, Arrays.copyOf(sample(), 900));
        assertThat(Cli.run("pprof", "top", cut.toString()).err()).contains("truncated gzip").doesNotContain("at dev.");
        assertThat(Cli.run("pprof", "top", dir.resolve("missing").toString()).exit()).isEqualTo(3);
        Path good = dir.resolve("good.pprof");
        Files.write(good, sample());
        Cli.Run badIndex = Cli.run("pprof", "top", "--sample-index", "alloc_space", good.toString());
        assertThat(badIndex.exit()).isEqualTo(2);
        assertThat(badIndex.err()).contains("must be one of: samples, cpu");
        Cli.Run ok = Cli.run("pprof", "top", "-n", "3", good.toString());
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("Showing top 3 nodes out of 14").contains("runtime.mapiternext");
        assertThat(Cli.run("pprof", "top", "--json", good.toString()).out()).contains("\"name\" : \"main.busyLoop\"");
        Cli.Run badRegex = Cli.run("pprof", "top", "--focus", "busy(Loop", good.toString());
        assertThat(badRegex.exit()).isEqualTo(2);
        assertThat(badRegex.err()).contains("--focus 'busy(Loop' is not a regular expression").doesNotContain("at java.");
        Cli.Run none = Cli.run("pprof", "top", "--focus", "nothing-matches", good.toString());
        assertThat(none.exit()).isZero();
        assertThat(none.err()).contains("Focus expression matched no samples");
        assertThat(none.out()).contains("Active filters:\n   focus=nothing-matches\nShowing nodes accounting for 0, 0% of 1.76s total");
    }
}
