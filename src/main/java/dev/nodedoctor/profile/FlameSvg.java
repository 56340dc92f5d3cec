package dev.nodedoctor.profile;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link FlameLayout} as a self-contained interactive SVG (or an HTML page around it) with the geometry
 * of flamegraph.pl — 1200 px wide, 16 px frames, 10 px side padding, frames narrower than --minwidth dropped,
 * tooltips "name (N samples, P%)" — and its palettes. The script (zoom, search, reset, details line) is
 * nodedoctor's own, in src/main/resources/dev/nodedoctor/profile/flame.js; nothing is fetched from the network.
 */
public final class FlameSvg {
    /** flamegraph.pl's options with its defaults. {@code minWidth} is pixels, or percent when it ends in '%'. */
    public record Options(String title, String subtitle, int width, int frameHeight, double fontSize, double fontWidth,
                          String minWidth, String countName, String nameType, String colors, boolean hash,
                          boolean inverted, boolean negate) {
        public static Options defaults() {
            return new Options(null, "", 1200, 16, 12, 0.59, "0.1", "samples", "Function:", "hot", false, false, false);
        }

        public Options withTitle(String t) {
            return new Options(t, subtitle, width, frameHeight, fontSize, fontWidth, minWidth, countName, nameType,
                    colors, hash, inverted, negate);
        }
    }

    public static final List<String> PALETTES = List.of("hot", "mem", "io", "wakeup", "chain", "java", "js", "perl",
            "red", "green", "blue", "aqua", "yellow", "purple", "orange");

    private FlameSvg() {
    }

    public static String svg(FlameLayout layout, Options o) {
        if (!PALETTES.contains(o.colors())) {
            throw new IllegalArgumentException("unknown palette '" + o.colors() + "'; one of " + String.join(", ", PALETTES));
        }
        double xpad = 10;
        double ypad1 = o.fontSize() * 3;
        double ypad2 = o.fontSize() * 2 + 10;
        double ypad3 = o.fontSize() * 2;
        double framepad = 1;
        double timemax = layout.total();
        double widthPerTime = (o.width() - 2 * xpad) / timemax;
        String mw = o.minWidth();
        boolean percent = mw.endsWith("%");
        double mwValue;
        try {
            mwValue = Double.parseDouble(percent ? mw.substring(0, mw.length() - 1) : mw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--minwidth '" + mw + "' is not a number of pixels or a percentage");
        }
        if (mwValue < 0 || Double.isNaN(mwValue)) {
            throw new IllegalArgumentException("--minwidth must not be negative");
        }
        double minTime = percent ? timemax * mwValue / 100 : mwValue / widthPerTime;
        int depthMax = 0;
        long drawn = 0;
        for (FlameLayout.Frame f : layout.frames()) {
            if (f.width() >= minTime) {
                depthMax = Math.max(depthMax, f.depth());
                drawn++;
            }
        }
        String title = o.title() != null ? o.title() : (o.inverted() ? "Icicle Graph" : "Flame Graph");
        double imageHeight = (depthMax + 1) * o.frameHeight() + ypad1 + ypad2;
        if (!o.subtitle().isEmpty()) {
            imageHeight += ypad3;
        }
        String[] bg = background(o.colors());
        StringBuilder b = new StringBuilder(initialCapacity(drawn));
        b.append("<?xml version=\"1.0\" standalone=\"no\"?>\n");
        b.append("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n");
        svgBody(b, layout, o, title, bg, imageHeight, xpad, ypad1, ypad2, framepad, widthPerTime, minTime, timemax);
        return b.toString();
    }

    /**
     * Room for the frames drawn (~220 bytes each), at most 256 MiB up front: the layout of 600,000 distinct
     * 20-frame stacks has 11 M frames, whose product with 220 overflowed an int; few of them are wide enough to
     * draw.
     */
    static int initialCapacity(long drawnFrames) {
        return (int) Math.min(64 * 1024 + drawnFrames * 220, 256L << 20);
    }

    /** An HTML page holding the same interactive SVG inline. */
    public static String html(FlameLayout layout, Options o) {
        String svg = svg(layout, o);
        String body = svg.substring(svg.indexOf("<svg"));
        String title = o.title() != null ? o.title() : (o.inverted() ? "Icicle Graph" : "Flame Graph");
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>body{margin:0;background:#fff}svg{display:block;max-width:100%;height:auto}</style>\n"
                + "</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    private static void svgBody(StringBuilder b, FlameLayout layout, Options o, String title, String[] bg,
                                double imageHeight, double xpad, double ypad1, double ypad2, double framepad,
                                double widthPerTime, double minTime, double timemax) {
        String w = num(o.width());
        String h = num(imageHeight);
        b.append("<svg version=\"1.1\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"")
                .append(" data-fontsize=\"").append(num(o.fontSize())).append("\" data-fontwidth=\"")
                .append(num(o.fontWidth())).append("\" data-xpad=\"").append(num(xpad)).append("\" data-inverted=\"")
                .append(o.inverted()).append("\">\n");
        b.append("<!-- Flame graph by nodedoctor; layout as Brendan Gregg's flamegraph.pl. -->\n");
        b.append("<defs>\n\t<linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\" >\n")
                .append("\t\t<stop stop-color=\"").append(bg[0]).append("\" offset=\"5%\" />\n")
                .append("\t\t<stop stop-color=\"").append(bg[1]).append("\" offset=\"95%\" />\n")
                .append("\t</linearGradient>\n</defs>\n");
        b.append("<style type=\"text/css\">\n")
                .append("\ttext { font-family:Verdana, sans-serif; font-size:").append(num(o.fontSize())).append("px; fill:rgb(0,0,0); }\n")
                .append("\t#search, #ignorecase { opacity:0.1; cursor:pointer; }\n")
                .append("\t#search:hover, #search.show, #ignorecase:hover, #ignorecase.show { opacity:1; }\n")
                .append("\t#subtitle { text-anchor:middle; fill:rgb(160,160,160); }\n")
                .append("\t#title { text-anchor:middle; font-size:").append(num(o.fontSize() + 5)).append("px}\n")
                .append("\t#unzoom { cursor:pointer; }\n")
                .append("\t#frames > *:hover { stroke:black; stroke-width:0.5; cursor:pointer; }\n")
                .append("\t.hide { display:none; }\n\t.parent { opacity:0.5; }\n</style>\n");
        b.append("<script type=\"text/ecmascript\">\n<![CDATA[\n").append(script(o)).append("]]>\n</script>\n");
        b.append("<rect x=\"0.0\" y=\"0\" width=\"").append(fixed(o.width(), 1)).append("\" height=\"").append(fixed(imageHeight, 1))
                .append("\" fill=\"url(#background)\"  />\n");
        text(b, "title", o.width() / 2, o.fontSize() * 2, escape(title), "");
        if (!o.subtitle().isEmpty()) {
            text(b, "subtitle", o.width() / 2, o.fontSize() * 4, escape(o.subtitle()), "");
        }
        text(b, "details", xpad, imageHeight - ypad2 / 2, " ", "");
        text(b, "unzoom", xpad, o.fontSize() * 2, "Reset Zoom", "class=\"hide\"");
        text(b, "search", o.width() - xpad - 100, o.fontSize() * 2, "Search", "");
        text(b, "ignorecase", o.width() - xpad - 16, o.fontSize() * 2, "ic", "");
        text(b, "matched", o.width() - xpad - 100, imageHeight - ypad2 / 2, " ", "");
        b.append("<g id=\"frames\">\n");
        for (FlameLayout.Frame f : layout.frames()) {
            if (f.width() < minTime) {
                continue;
            }
            boolean root = f.name().isEmpty() && f.depth() == 0;
            double x1 = xpad + f.start() * widthPerTime;
            double x2 = xpad + f.end() * widthPerTime;
            double y1;
            double y2;
            if (!o.inverted()) {
                y1 = imageHeight - ypad2 - (f.depth() + 1) * o.frameHeight() + framepad;
                y2 = imageHeight - ypad2 - f.depth() * o.frameHeight();
            } else {
                y1 = ypad1 + f.depth() * o.frameHeight();
                y2 = ypad1 + (f.depth() + 1) * o.frameHeight() - framepad;
            }
            String samples = fixed(f.width(), 0);
            String samplesTxt = thousands(samples);
            String info;
            String name = stripAnnotation(f.name());
            if (root) {
                info = "all (" + samplesTxt + " " + escape(o.countName()) + ", 100%)";
            } else {
                String pct = fixed(100 * Double.parseDouble(samples) / timemax, 2);
                info = escape(name) + " (" + samplesTxt + " " + escape(o.countName()) + ", " + pct + "%";
                if (!Double.isNaN(f.delta())) {
                    double d = o.negate() ? -f.delta() : f.delta();
                    String dp = fixed(100 * d / timemax, 2);
                    info += "; " + (d > 0 ? "+" + dp : dp) + "%";
                }
                info += ")";
            }
            String color;
            if (f.name().equals("--")) {
                color = "rgb(160,160,160)";
            } else if (f.name().equals("-")) {
                color = "rgb(200,200,200)";
            } else if (!Double.isNaN(f.delta())) {
                color = Palette.scale(f.delta(), layout.maxDelta(), o.negate());
            } else {
                color = Palette.color(o.colors(), o.hash(), f.name());
            }
            b.append("<g>\n<title>").append(info).append("</title><rect x=\"").append(fixed(x1, 1)).append("\" y=\"")
                    .append(num(y1)).append("\" width=\"")
                    .append(fixed(Double.parseDouble(fixed(x2, 1)) - Double.parseDouble(fixed(x1, 1)), 1))
                    .append("\" height=\"").append(fixed(y2 - y1, 1)).append("\" fill=\"").append(color)
                    .append("\" rx=\"2\" ry=\"2\" />\n");
            int chars = (int) ((x2 - x1) / (o.fontSize() * o.fontWidth()));
            String label = "";
            if (chars >= 3) {
                int len = name.codePointCount(0, name.length());
                if (chars < len) {
                    int cut = name.offsetByCodePoints(0, chars - 2);
                    label = name.substring(0, cut) + "..";
                } else {
                    label = name;
                }
                label = escape(label);
            }
            text(b, null, x1 + 3, 3 + (y1 + y2) / 2, label, "");
            b.append("</g>\n");
        }
        b.append("</g>\n</svg>\n");
    }

    private static void text(StringBuilder b, String id, double x, double y, String s, String extra) {
        b.append("<text ").append(id == null ? "" : "id=\"" + id + "\"").append(" x=\"").append(fixed(x, 2))
                .append("\" y=\"").append(num(y)).append("\" ").append(extra).append('>').append(s).append("</text>\n");
    }

    private static String[] background(String colors) {
        if (colors.equals("mem")) {
            return new String[] {"#eef2ee", "#e0ffe0"};
        }
        if (colors.matches("io|wakeup|chain")) {
            return new String[] {"#eeeeee", "#e0e0ff"};
        }
        if (colors.matches("red|green|blue|aqua|yellow|purple|orange")) {
            return new String[] {"#f8f8f8", "#e8e8e8"};
        }
        return new String[] {"#eeeeee", "#eeeeb0"};
    }

    static String stripAnnotation(String name) {
        int n = name.length();
        if (n >= 4 && name.charAt(n - 4) == '_' && name.charAt(n - 3) == '[' && name.charAt(n - 1) == ']'
                && "kwij".indexOf(name.charAt(n - 2)) >= 0) {
            return name.substring(0, n - 4);
        }
        return name;
    }

    /** XML escaping for text and attribute content. */
    static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                default -> (c < 0x20 && c != '\t') || c == 0xFFFE || c == 0xFFFF ? "\uFFFD" : null;
            };
            if (r != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (r != null) {
                    b.append(r);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /** C's %.Nf: the exact binary value rounded half to even. */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "0";
        }
        if (decimals >= 0 && decimals <= 3) {
            // Fast exact path: v·10^d rounds to the nearest integer the same way as the exact binary value
            // whenever it lies clearly away from a half (further than the product's rounding error).
            double s = v * POW10[decimals];
            if (Math.abs(s) < 1e15) {
                double fl = Math.floor(s);
                if (Math.abs(s - fl - 0.5) > 4 * Math.ulp(s)) {
                    return scaled(Math.round(s), decimals);
                }
            }
        }
        String s = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        return s.equals("-0") || s.startsWith("-0.") && s.matches("-0\\.0*") ? s.substring(1) : s;
    }

    private static final double[] POW10 = {1, 10, 100, 1000};

    /** {@code r / 10^decimals} printed with exactly {@code decimals} decimals; no "-0". */
    private static String scaled(long r, int decimals) {
        String digits = Long.toString(Math.abs(r));
        if (decimals == 0) {
            return r < 0 ? "-" + digits : digits;
        }
        StringBuilder b = new StringBuilder(digits.length() + 3);
        if (r < 0) {
            b.append('-');
        }
        for (int pad = decimals + 1 - digits.length(); pad > 0; pad--) {
            b.append('0');
        }
        b.append(digits);
        b.insert(b.length() - decimals, '.');
        return b.toString();
    }

    /** A number as Perl prints it (%.15g): 85, 95.5. */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (v * 2 == Math.rint(v * 2) && Math.abs(v) < 1e14) { // exactly k + 0.5: the frames' text rows
            long twice = (long) (v * 2);
            return (twice < 0 ? "-" : "") + Math.abs(twice) / 2 + ".5";
        }
        String s = String.format(Locale.ROOT, "%.15g", v);
        if (s.contains("e")) {
            return s;
        }
        s = s.replaceFirst("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** 1234567 → 1,234,567 (flamegraph.pl's samples text). */
    static String thousands(String digits) {
        boolean neg = digits.startsWith("-");
        String d = neg ? digits.substring(1) : digits;
        StringBuilder b = new StringBuilder();
        int first = d.length() % 3 == 0 ? 3 : d.length() % 3;
        b.append(d, 0, first);
        for (int i = first; i < d.length(); i += 3) {
            b.append(',').append(d, i, i + 3);
        }
        return (neg ? "-" : "") + b;
    }

    private static String script(Options o) {
        try (InputStream in = FlameSvg.class.getResourceAsStream("/dev/nodedoctor/profile/flame.js")) {
            if (in == null) {
                throw new IllegalStateException("flame.js missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@NAMETYPE@", jsString(o.nameType()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jsString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20 || c == '<' || c == '>' || c == ']' || c == '&') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
