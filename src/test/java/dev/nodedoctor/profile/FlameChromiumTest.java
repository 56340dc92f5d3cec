package dev.nodedoctor.profile;

import dev.nodedoctor.testkit.Cli;
import dev.nodedoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The flame graph renders in a real browser, offline: headless Chromium (Debian's chromium) takes screenshots of
 * the SVG and of the HTML page; the frames' colours must fill the picture, and the page's own script must run
 * (a #s= search link paints matches in the search colour, a #zoom= link widens a frame).
 */
class FlameChromiumTest {
    static Path chromium() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    static BufferedImage screenshot(Path dir, String url, int width, int height) throws IOException, InterruptedException {
        Path png = dir.resolve("shot-" + System.nanoTime() + ".png");
        List<String> cmd = new ArrayList<>(List.of(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + dir.resolve("profile"),
                "--virtual-time-budget=3000", "--window-size=" + width + "," + height, "--screenshot=" + png, url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish");
        }
        assertThat(png).as(Files.readString(dir.resolve("chromium.log"))).exists();
        return ImageIO.read(png.toFile());
    }

    /** Share of pixels in flamegraph.pl's "hot" palette (r 205..255, g 0..230, b 0..55). */
    static double hotShare(BufferedImage img) {
        long hot = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r >= 205 && g <= 230 && b <= 55) {
                    hot++;
                }
            }
        }
        return hot / (double) (img.getWidth() * img.getHeight());
    }

    static long pixels(BufferedImage img, int r0, int g0, int b0) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (Math.abs(((rgb >> 16) & 0xff) - r0) < 6 && Math.abs(((rgb >> 8) & 0xff) - g0) < 6 && Math.abs((rgb & 0xff) - b0) < 6) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void svgAndHtmlRenderAndTheScriptRuns(@TempDir Path tmp) throws Exception {
        assumeTrue(chromium() != null, "needs Debian's chromium for the screenshot test");
        Path folded = Fixtures.shared().resolve("conformance/flamegraph/expected/perf-vertx-stacks-01-collapsed-all.txt");
        Path svg = tmp.resolve("g.svg");
        Path html = tmp.resolve("g.html");
        assertThat(Cli.run("flame", folded.toString(), "-o", svg.toString()).exit()).isZero();
        assertThat(Cli.run("flame", folded.toString(), "-o", html.toString()).exit()).isZero();

        BufferedImage plain = screenshot(tmp, svg.toUri().toString(), 1200, 1190);
        // the frames of this graph cover about a third of the image (measured: 0.36); a blank page has none
        assertThat(hotShare(plain)).isGreaterThan(0.2);
        assertThat(pixels(plain, 230, 0, 230)).isZero();

        BufferedImage searched = screenshot(tmp, html.toUri() + "#s=tcp_", 1220, 1210);
        assertThat(pixels(searched, 230, 0, 230)).as("search highlight").isGreaterThan(500);

        BufferedImage zoomed = screenshot(tmp, svg.toUri() + "#zoom=tcp_sendmsg", 1200, 1190);
        // zoomed into a small subtree: far fewer frames on screen, the rest hidden
        assertThat(hotShare(zoomed)).isLessThan(hotShare(plain));
    }
}
