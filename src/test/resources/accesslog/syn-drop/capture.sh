#!/usr/bin/env bash
# Captures real access logs of two nginx proxy layers (edge → ingress → backend, all nginx) while nftables drops
# 30 % of the SYNs to the ingress port. Everything runs inside a throw-away network namespace on its own
# loopback; nothing leaves it. Needs root, nginx, nftables, curl, iproute2. Writes edge.log and ingress.log here.
set -euo pipefail
out=$(pwd)
ns="ndcap$$"
dir=$(mktemp -d)
cleanup() {
  for n in edge ingress backend; do
    [ -f "$dir/$n/nginx.pid" ] && kill "$(cat "$dir/$n/nginx.pid")" 2>/dev/null || true
  done
  sleep 0.5
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" nft 'add table inet nd; add chain inet nd input { type filter hook input priority 0; policy accept; }; add rule inet nd input tcp dport 18202 tcp flags & (syn | ack) == syn numgen random mod 100 < 30 drop'
conf() { # name port location
  mkdir -p "$dir/$1"
  cat > "$dir/$1/nginx.conf" <<CONF
pid $dir/$1/nginx.pid;
error_log $dir/$1/error.log warn;
worker_processes 1;
events { worker_connections 512; }
http {
  client_body_temp_path $dir/$1/body; proxy_temp_path $dir/$1/proxy; fastcgi_temp_path $dir/$1/fcgi;
  uwsgi_temp_path $dir/$1/uwsgi; scgi_temp_path $dir/$1/scgi;
  log_format trace escape=json '{"time_iso8601":"\$time_iso8601","msec":"\$msec","remote_addr":"\$remote_addr",'
    '"request":"\$request","status":"\$status","request_time":"\$request_time","upstream_addr":"\$upstream_addr",'
    '"upstream_connect_time":"\$upstream_connect_time","upstream_header_time":"\$upstream_header_time",'
    '"upstream_response_time":"\$upstream_response_time","trace_id":"\$http_x_trace_id"}';
  access_log $dir/$1/access.log trace;
  server { listen 127.0.0.1:$2; location / { $3 } }
}
CONF
  ip netns exec "$ns" nginx -p "$dir/$1" -c "$dir/$1/nginx.conf"
}
conf backend 18203 'return 200 "ok\n";'
conf ingress 18202 'proxy_pass http://127.0.0.1:18203;'
conf edge 18201 'proxy_pass http://127.0.0.1:18202; proxy_connect_timeout 15s;'
sleep 0.5
ip netns exec "$ns" sh -c 'for i in $(seq 300); do curl -s -o /dev/null -m 30 -H "X-Trace-Id: req-$i" http://127.0.0.1:18201/api/$i & if [ $((i % 30)) = 0 ]; then wait; fi; done; wait'
sleep 0.5
cp "$dir/edge/access.log" "$out/edge.log"
cp "$dir/ingress/access.log" "$out/ingress.log"
wc -l "$out/edge.log" "$out/ingress.log"
