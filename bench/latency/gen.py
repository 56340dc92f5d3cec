#!/usr/bin/env python3
"""Writes SIZE_MB of nginx escape=json access-log lines (the key set of src/test/resources/accesslog/json.log,
as a real nginx writes it) to OUT, with the investigation's shape: most requests fast, a third of a slow
minority waiting ~1 s to connect (SYN retransmits), some upstream lists and '-' values. Deterministic (seeded)."""
import random
import sys

out, size_mb = sys.argv[1], int(sys.argv[2])
rnd = random.Random(42)
limit = size_mb * 1024 * 1024
paths = ["/api/items?id=%d", "/api/users/%d", "/static/app.%d.js", "/health", "/api/search?q=%d"]
agents = ["curl/7.88.1", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
          "kube-probe/1.29", "python-requests/2.31.0 \\\"quoted\\\""]
written = 0
t = 1795665383.0
with open(out, "w", buffering=1 << 20) as f:
    n = 0
    while written < limit:
        n += 1
        t += 0.0005
        r = rnd.random()
        connect = rnd.uniform(0.0, 0.002)
        if r < 0.03:
            connect += 1.02 + rnd.uniform(0, 0.01)          # SYN retransmitted once
        elif r < 0.035:
            connect += 2.05 + rnd.uniform(0, 0.01)
        header = connect + rnd.expovariate(1 / 0.02)
        response = header + rnd.uniform(0, 0.003)
        request = response + rnd.uniform(0, 0.002)
        p = rnd.choice(paths)
        path = p % rnd.randrange(100000) if "%d" in p else p
        if r > 0.995:
            addr, ct, ht, ut = "10.0.0.7:8080, 10.0.0.8:8080", "-, %.3f" % connect, "-, %.3f" % header, "0.000, %.3f" % response
        elif r > 0.99:
            addr, ct, ht, ut = "", "", "", ""
            request = rnd.uniform(0, 0.001)
        else:
            addr = "10.0.0.%d:8080" % rnd.randrange(2, 12)
            ct, ht, ut = "%.3f" % connect, "%.3f" % header, "%.3f" % response
        line = ('{"time_iso8601":"2026-11-26T03:56:23+00:00","msec":"%.3f","remote_addr":"%s",'
                '"request":"GET %s HTTP/1.1","request_uri":"%s","status":"%d","request_time":"%.3f",'
                '"upstream_addr":"%s","upstream_connect_time":"%s","upstream_header_time":"%s",'
                '"upstream_response_time":"%s","http_user_agent":"%s","trace_id":"%032x"}\n') % (
            t, "2001:db8::%x" % rnd.randrange(65536) if r < 0.2 else "192.0.2.%d" % rnd.randrange(256),
            path, path, 200 if r < 0.98 else 502, request, addr, ct, ht, ut, rnd.choice(agents), rnd.getrandbits(128))
        f.write(line)
        written += len(line)
print(n, "lines", written, "bytes")
