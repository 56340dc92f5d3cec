package dev.nodedoctor.profile;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/** The record-line fields found without a regex are the groups of stackcollapse-perf.pl's two regexes. */
class PerfRecordLineTest {
    /** Record lines of the perf versions in the conformance captures and of Debian's perf on this machine. */
    static final List<String> REAL = List.of(
            "java  3244 cpu-clock: ",
            "profilegen 32358 [000]  6089.075038:    5025125  cpu-clock: ",
            "swapper     0 [001] 1234.5: 1 cycles:ppp: ",
            "kworker/0:1  1234/1234 [000] 123.456: 250000 task-clock:u: ",
            "perf 12/34 5.6: cycles:",
            "a b c 12 x:",
            "Web Content 4242/4250 [003] 99.1:  1000 instructions: ");

    /** Returns how many of the two regexes matched (0..2), so that a test can tell it tried both ways. */
    static int assertSame(String line) {
        int matched = 0;
        Matcher m = PerfRecordLine.RECORD.matcher(line);
        PerfRecordLine.Record r = PerfRecordLine.record(line);
        if (m.find()) {
            matched++;
            assertThat(r).as(line).isEqualTo(new PerfRecordLine.Record(m.group(1), m.group(2), m.group(3)));
        } else {
            assertThat(r).as(line).isNull();
        }
        Matcher e = PerfRecordLine.EVENT.matcher(line);
        PerfRecordLine.Event ev = PerfRecordLine.event(line);
        if (e.find()) {
            matched++;
            assertThat(ev).as(line).isEqualTo(new PerfRecordLine.Event(e.group(1), e.group(2)));
        } else {
            assertThat(ev).as(line).isNull();
        }
        return matched;
    }

    @Test
    void realRecordLines() {
        REAL.forEach(PerfRecordLineTest::assertSame);
        assertThat(PerfRecordLine.record(REAL.get(1))).isEqualTo(new PerfRecordLine.Record("profilegen", "32358", null));
        assertThat(PerfRecordLine.event(REAL.get(1))).isEqualTo(new PerfRecordLine.Event("5025125", "cpu-clock"));
        assertThat(PerfRecordLine.event(REAL.get(0))).isNull();
    }

    /**
     * 300,000 lines of the characters the two regexes care about (blanks of every kind, digits, ':', '/', '\u0085'
     * which is not a blank without UNICODE_CHARACTER_CLASS) and real lines cut and mixed: the same groups.
     */
    @Test
    void generatedLinesAgreeWithTheRegexes() {
        Random r = new Random(11);
        int matches = 0;
        char[] alphabet = {' ', ' ', ' ', '\t', '\r', '\f', 0x0B, '1', '2', '0', '9', ':', ':', '/', 'a', 'x', '[', '.', '\u0085', '\u00a0'};
        for (int i = 0; i < 300_000; i++) {
            StringBuilder b = new StringBuilder();
            if (i % 3 == 0) {
                String real = REAL.get(r.nextInt(REAL.size()));
                int from = r.nextInt(real.length());
                b.append(real, r.nextInt(from + 1), from + r.nextInt(real.length() - from + 1));
            }
            int len = r.nextInt(16);
            for (int k = 0; k < len; k++) {
                b.insert(r.nextInt(b.length() + 1), alphabet[r.nextInt(alphabet.length)]);
            }
            matches += assertSame(b.toString());
        }
        assertThat(matches).as("lines where a regex matched").isGreaterThan(30_000);
    }
}
