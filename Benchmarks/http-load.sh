#!/usr/bin/env bash
# HTTP load on loopback with wrk: the backlog API and page against /healthz, measured in one run.
# Usage: Benchmarks/http-load.sh [seconds per endpoint, default 10] [backlog items, default 10000]
# Starts the release binary with --demo on a temporary SQLite file, grows the demo backlog to the given size
# through the API, and stops the server afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
items=${2:-10000}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
swift build -c release --product tandem >/dev/null
folder=$(mktemp -d /tmp/tandem-load.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
TANDEM_DATABASE_URL="sqlite://$folder/load.sqlite" TANDEM_PORT=$port TANDEM_LOG_LEVEL=error \
  .build/release/tandem serve --demo >"$folder/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$folder"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

token=$(curl -fs -X POST "$base/api/v1/sessions" -H 'Content-Type: application/json' \
  -d '{"email":"po@tandem.demo","password":"tandem-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
product=$(curl -fs "$base/api/v1/products" -H "Authorization: Bearer $token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')

# Grow the backlog through the API, as people would (one item per request, at the bottom).
python3 - "$base" "$token" "$product" "$items" <<'PY'
import json, sys, urllib.request
base, token, product, target = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def call(method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)
have = len(call("GET", f"/api/v1/products/{product}/backlog?limit=200&status=open,planned,done,declined")["items"])
kinds = ["story", "bug", "spike", "chore"]
for n in range(have, target):
    call("POST", f"/api/v1/products/{product}/items", {"title": f"Load item {n}", "kind": kinds[n % 4], "description": "Grown for the load test."})
print(f"backlog: {max(have, target)} items", file=sys.stderr)
PY

run() { # name, path, header
  local result
  result=$(wrk -t2 -c16 -d"${duration}s" --latency -H "$3" "$base$2" | awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} END {print rps, p99}')
  echo "$1 $result"
}
{
  run healthz /healthz "Accept: */*"
  run backlog-api "/api/v1/products/$product/backlog?limit=50" "Authorization: Bearer $token"
  run backlog-page "/products/$product/backlog" "Cookie: tandem_session=$token"
} | tee "$folder/results.txt" | awk '
  { rps[$1] = $2; p99[$1] = $3; order[NR] = $1 }
  END {
    printf "%-14s %12s %10s %18s\n", "endpoint", "requests/s", "p99", "vs /healthz"
    for (i = 1; i <= NR; i++) { n = order[i]; printf "%-14s %12.0f %10s %17.3fx\n", n, rps[n], p99[n], rps[n] / rps["healthz"] }
  }'
