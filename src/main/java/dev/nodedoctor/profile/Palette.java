package dev.nodedoctor.profile;

/**
 * flamegraph.pl's colours: a palette per kind of frame, the shade picked by a value in [0,1) derived from the
 * name — by default the first number of Perl's drand48 seeded with the sum of the name's characters (so a
 * function has the same colour in every graph), with --hash a weighted hash of its first characters.
 */
final class Palette {
    private Palette() {
    }

    static String color(String type, boolean hash, String name) {
        double v1;
        double v2;
        double v3;
        if (hash) {
            v1 = namehash(name);
            v2 = v3 = namehash(new StringBuilder(name).reverse().toString());
        } else {
            v1 = v2 = v3 = randomNamehash(name);
        }
        String t = type;
        if (t.equals("hot")) {
            return rgb(205 + (int) (50 * v3), (int) (230 * v1), (int) (55 * v2));
        }
        if (t.equals("mem")) {
            return rgb(0, 190 + (int) (50 * v2), (int) (210 * v1));
        }
        if (t.equals("io")) {
            int r = 80 + (int) (60 * v1);
            return rgb(r, r, 190 + (int) (55 * v2));
        }
        if (t.equals("java")) {
            if (name.endsWith("_[j]")) {
                t = "green";
            } else if (name.endsWith("_[i]")) {
                t = "aqua";
            } else if (name.matches("^L?(java|javax|jdk|net|org|com|io|sun)/.*")) {
                t = "green";
            } else if (name.contains(":::")) {
                t = "green";
            } else if (name.contains("::")) {
                t = "yellow";
            } else if (name.endsWith("_[k]")) {
                t = "orange";
            } else {
                t = "red";
            }
        } else if (t.equals("perl")) {
            if (name.contains("::")) {
                t = "yellow";
            } else if (name.contains("Perl") || name.contains(".pl")) {
                t = "green";
            } else if (name.endsWith("_[k]")) {
                t = "orange";
            } else {
                t = "red";
            }
        } else if (t.equals("js")) {
            if (name.endsWith("_[j]")) {
                t = name.contains("/") ? "green" : "aqua";
            } else if (name.contains("::")) {
                t = "yellow";
            } else if (name.matches("(?s).*/.*\\.js.*")) {
                t = "green";
            } else if (name.contains(":")) {
                t = "aqua";
            } else if (name.equals(" ")) {
                t = "green";
            } else if (name.contains("_[k]")) {
                t = "orange";
            } else {
                t = "red";
            }
        } else if (t.equals("wakeup")) {
            t = "aqua";
        } else if (t.equals("chain")) {
            t = name.contains("_[w]") ? "aqua" : "blue";
        }
        return switch (t) {
            case "red" -> {
                int x = 50 + (int) (80 * v1);
                yield rgb(200 + (int) (55 * v1), x, x);
            }
            case "green" -> {
                int x = 50 + (int) (60 * v1);
                yield rgb(x, 200 + (int) (55 * v1), x);
            }
            case "blue" -> {
                int x = 80 + (int) (60 * v1);
                yield rgb(x, x, 205 + (int) (50 * v1));
            }
            case "yellow" -> {
                int x = 175 + (int) (55 * v1);
                yield rgb(x, x, 50 + (int) (20 * v1));
            }
            case "purple" -> {
                int x = 190 + (int) (65 * v1);
                yield rgb(x, 80 + (int) (60 * v1), x);
            }
            case "aqua" -> rgb(50 + (int) (60 * v1), 165 + (int) (55 * v1), 165 + (int) (55 * v1));
            case "orange" -> rgb(190 + (int) (65 * v1), 90 + (int) (65 * v1), 0);
            default -> "rgb(0,0,0)";
        };
    }

    /** Differential colour: red where the frame grew, blue where it shrank, white where unchanged. */
    static String scale(double value, double max, boolean negate) {
        double v = negate ? -value : value;
        int r = 255;
        int g = 255;
        int b = 255;
        if (v > 0) {
            g = b = (int) (210 * (max - v) / max);
        } else if (v < 0) {
            r = g = (int) (210 * (max + v) / max);
        }
        return rgb(r, g, b);
    }

    /** flamegraph.pl's namehash: module prefix (up to a backtick) dropped, first three characters weighted. */
    static double namehash(String name) {
        String n = name.replaceFirst("(?s).(.*?)`", "");
        double vector = 0;
        double weight = 1;
        double max = 1;
        int mod = 10;
        for (int i = 0; i < n.length(); ) {
            int c = n.codePointAt(i);
            i += Character.charCount(c);
            int x = c % mod;
            vector += (x / (double) (mod++ - 1)) * weight;
            max += weight;
            weight *= 0.70;
            if (mod > 12) {
                break;
            }
        }
        return 1 - vector / max;
    }

    /** srand(sum of the characters); rand(1) — Perl's drand48. */
    static double randomNamehash(String name) {
        long sum = 0;
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            i += Character.charCount(c);
            sum += c;
        }
        long seed = sum & 0xffffffffL;
        long x = ((seed << 16) + 0x330EL) & ((1L << 48) - 1);
        x = (0x5DEECE66DL * x + 0xBL) & ((1L << 48) - 1);
        return x / (double) (1L << 48);
    }

    private static String rgb(int r, int g, int b) {
        return "rgb(" + r + "," + g + "," + b + ")";
    }
}
