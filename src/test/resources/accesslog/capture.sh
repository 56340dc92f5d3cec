#!/usr/bin/env bash
# Captures real nginx access-log lines in the three text formats nodedoctor reads (JSON lines written with
# escape=json, combined + timings, ingress-nginx's default upstreaminfo format), from one throw-away nginx
# on loopback (IPv4 and IPv6). Writes json.log, combined.log, ingress.log into the current directory.
# Needs: nginx (Debian package), curl. Never touches the system nginx: everything lives in a temp prefix.
set -euo pipefail
out=$(pwd)
dir=$(mktemp -d)
trap 'nginx -p "$dir" -c nginx.conf -s stop 2>/dev/null || true; rm -rf "$dir"' EXIT
mkdir -p "$dir/logs"
cat > "$dir/nginx.conf" <<CONF
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fcgi;
  uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  log_format jsonl escape=json '{"time_iso8601":"\$time_iso8601","msec":"\$msec","remote_addr":"\$remote_addr",'
    '"request":"\$request","request_uri":"\$request_uri","status":"\$status","request_time":"\$request_time",'
    '"upstream_addr":"\$upstream_addr","upstream_connect_time":"\$upstream_connect_time",'
    '"upstream_header_time":"\$upstream_header_time","upstream_response_time":"\$upstream_response_time",'
    '"http_user_agent":"\$http_user_agent","trace_id":"\$http_x_trace_id"}';
  log_format timed '\$remote_addr - \$remote_user [\$time_local] "\$request" \$status \$body_bytes_sent '
    '"\$http_referer" "\$http_user_agent" \$request_time \$upstream_connect_time \$upstream_header_time '
    '\$upstream_response_time';
  # ingress-nginx's default log-format-upstream (its docs, "Log format"); the three ingress-only variables
  # are set here the way the controller's Lua sets them.
  map \$host \$proxy_upstream_name { default "default-echo-80"; }
  map \$host \$proxy_alternative_upstream_name { default ""; }
  map \$request_id \$req_id { default \$request_id; }
  log_format upstreaminfo '\$remote_addr - \$remote_user [\$time_local] "\$request" '
    '\$status \$body_bytes_sent "\$http_referer" "\$http_user_agent" '
    '\$request_length \$request_time [\$proxy_upstream_name] [\$proxy_alternative_upstream_name] \$upstream_addr '
    '\$upstream_response_length \$upstream_response_time \$upstream_status \$req_id';
  upstream flaky { server 127.0.0.1:18199; server 127.0.0.1:18102; }
  server {
    listen 127.0.0.1:18101; listen [::1]:18101;
    access_log $dir/logs/json.log jsonl;
    access_log $dir/logs/combined.log timed;
    access_log $dir/logs/ingress.log upstreaminfo;
    location / { proxy_pass http://127.0.0.1:18102; }
    location /local { return 200 "ok\n"; }
    location /flaky { proxy_pass http://flaky; }
    location /redirect { proxy_pass http://127.0.0.1:18102/missing; proxy_intercept_errors on;
                         error_page 404 = @fallback; }
    location @fallback { proxy_pass http://127.0.0.1:18102; }
  }
  server {
    listen 127.0.0.1:18102;
    location / { return 200 "backend\n"; }
    location /missing { return 404; }
  }
}
CONF
nginx -p "$dir" -c nginx.conf
sleep 0.3
c() { curl -s -o /dev/null "$@"; }
c -H 'X-Trace-Id: 4bf92f3577b34da6a3ce929d0e0e4736' 'http://127.0.0.1:18101/api/items?id=1'
c -g -H 'X-Trace-Id: 00f067aa0ba902b7' 'http://[::1]:18101/api/v6'
c -A 'agent with "quotes" and \backslash' -H 'X-Trace-Id: quote-1' 'http://127.0.0.1:18101/q'
c 'http://127.0.0.1:18101/local'
c -H 'X-Trace-Id: flaky-1' 'http://127.0.0.1:18101/flaky'
c -H 'X-Trace-Id: redirect-1' 'http://127.0.0.1:18101/redirect'
c -X POST -d 'x=1' 'http://127.0.0.1:18101/post?a=%22b%22'
sleep 0.3
cp "$dir/logs/json.log" "$dir/logs/combined.log" "$dir/logs/ingress.log" "$out/"
