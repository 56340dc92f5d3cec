package dev.nodedoctor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a profile comes from: a file, "-" for stdin, or an http(s) URL such as
 * {@code http://host:6060/debug/pprof/profile?seconds=30}, fetched as go tool pprof fetches it (the request
 * waits the profile's seconds plus a margin).
 */
final class ProfileInput {
    /** Profiles larger than this are refused rather than read into memory. */
    static final long MAX_BYTES = 1L << 30;
    private static final Pattern SECONDS = Pattern.compile("[?&]seconds=(\\d{1,6})");

    private ProfileInput() {
    }

    static boolean isUrl(String source) {
        return source.startsWith("http://") || source.startsWith("https://");
    }

    /** Opens a source for streaming (stdin, file or URL body). */
    static InputStream open(String source, InputStream stdin) throws IOException {
        if (source.equals("-")) {
            return stdin;
        }
        if (isUrl(source)) {
            return fetch(source);
        }
        Path p = Path.of(source);
        if (Files.isDirectory(p)) {
            throw new UserError(ExitCode.BAD_INPUT, source + ": is a directory, not a profile");
        }
        return Files.newInputStream(p);
    }

    /** Reads a whole source, refusing more than {@link #MAX_BYTES}. */
    static byte[] readAll(String source, InputStream stdin) throws IOException {
        try (InputStream in = open(source, stdin)) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_BYTES + 1));
            if (data.length > MAX_BYTES) {
                throw new UserError(ExitCode.BAD_INPUT, source + ": larger than 1 GiB; not a profile this command reads");
            }
            return data;
        }
    }

    private static InputStream fetch(String url) throws IOException {
        int seconds = 30;
        Matcher m = SECONDS.matcher(url);
        if (m.find()) {
            seconds = Integer.parseInt(m.group(1));
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest req;
        try {
            req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(seconds + 60L)).GET().build();
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, url + ": not a valid URL (" + e.getMessage() + ")");
        }
        try {
            HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            if (resp.statusCode() != 200) {
                String body = new String(resp.body().readNBytes(200), java.nio.charset.StandardCharsets.UTF_8).strip();
                resp.body().close();
                throw new UserError(ExitCode.BAD_INPUT, url + ": server answered HTTP " + resp.statusCode()
                        + (body.isEmpty() ? "" : " (" + body.lines().findFirst().orElse("") + ")"));
            }
            return resp.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(url + ": interrupted while fetching", e);
        } catch (java.net.ConnectException e) {
            throw new UserError(ExitCode.BAD_INPUT, url + ": cannot connect (" + e.getMessage() + ")");
        } catch (java.net.http.HttpTimeoutException e) {
            throw new UserError(ExitCode.BAD_INPUT, url + ": timed out after " + (seconds + 60) + " s");
        }
    }
}
