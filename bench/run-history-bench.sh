#!/usr/bin/env bash
# History lookups at scale: fills the decision log of a fresh database with ROWS decisions (default
# 10,000,000: 100,000 principals, 10,000 roles, 1,000,000 instances, spread over the last 45 days),
# then times GET /v1/decisions with each filter through the packaged jar. Results in
# bench/results/history.json.
#
#   bench/run-history-bench.sh                 # about 25 minutes on the 2-core machines (the fill)
#   ROWS=1000000 bench/run-history-bench.sh    # a quicker look
#
# Needs the machine's PostgreSQL on 127.0.0.1:5432 (trust auth), where it creates rolegate_history
# (about 7 GB at 10,000,000 rows) and drops it at the end unless KEEP=1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
rows="${ROWS:-10000000}"
port=18400
[[ -f api/target/rolegate.jar ]] || ./mvnw -q -B package -DskipTests
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS rolegate_history" -c "CREATE DATABASE rolegate_history" >/dev/null
export DATASOURCES_DEFAULT_URL=jdbc:postgresql://127.0.0.1:5432/rolegate_history DATASOURCES_DEFAULT_USERNAME=postgres
export ROLEGATE_BOOTSTRAP_TOKEN=history-token
home="$(mktemp -d)"
start_server() {
  ROLEGATE_HOME="$home" MICRONAUT_SERVER_PORT=$port "$java" -Xmx512m -jar api/target/rolegate.jar > "$home/server.log" 2>&1 &
  server=$!
  for _ in $(seq 120); do curl -fs "http://localhost:$port/health" >/dev/null 2>&1 && return; sleep 0.5; done
  echo "the server did not start" >&2; exit 1
}
start_server   # migrates the schema and creates the monthly partitions
kill $server; wait $server 2>/dev/null || true

echo "filling the decision log with $rows rows..." >&2
started=$(date +%s)
psql -q -h 127.0.0.1 -U postgres -d rolegate_history <<SQL
INSERT INTO decision_log (decision_id, decided_at, caller, principal, operation, instance_arn,
                          role_arn, decision, allowed, revision, request, answer)
SELECT gen_random_uuid(),
       now() - (random() * interval '45 days'),
       'bench',
       'arn:aws:iam::111122223333:user/u' || (i % 100000),
       (ARRAY['associate','replace','disassociate'])[1 + i % 3],
       'arn:aws:ec2:us-east-1:111122223333:instance/i-' || lpad(to_hex(i % 1000000), 17, '0'),
       'arn:aws:iam::111122223333:role/r' || (i % 10000),
       (ARRAY['allowed','implicitDeny','explicitDeny'])[1 + (i / 7) % 3],
       (i / 7) % 3 = 0,
       1,
       '{}'::json,
       '{"allowed": true}'::json
FROM generate_series(1, $rows) AS i;
ANALYZE decision_log;
SQL
echo "filled in $(( $(date +%s) - started )) s" >&2

cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$home"
  if [[ "${KEEP:-}" != 1 ]]; then
    psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS rolegate_history" >/dev/null || true
  fi
}
trap cleanup EXIT
start_server
ROWS=$rows python3 - <<'PY'
import json, os, random, time, urllib.parse, urllib.request
TOKEN = os.environ["ROLEGATE_BOOTSTRAP_TOKEN"]
BASE = "http://localhost:18400/v1/decisions"
def get(params):
    req = urllib.request.Request(BASE + "?" + urllib.parse.urlencode(params), headers={"Authorization": f"Bearer {TOKEN}"})
    t = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        body = json.load(r)
    return (time.perf_counter() - t) * 1000, body
random.seed(7)
from datetime import datetime, timedelta, timezone
now = datetime.now(timezone.utc)
cases = {
    "principal": lambda: {"principal": f"arn:aws:iam::111122223333:user/u{random.randrange(100000)}", "limit": 100},
    "roleArn": lambda: {"roleArn": f"arn:aws:iam::111122223333:role/r{random.randrange(10000)}", "limit": 100},
    "instanceArn": lambda: {"instanceArn": f"arn:aws:ec2:us-east-1:111122223333:instance/i-{random.randrange(1000000):017x}", "limit": 100},
    "decision+day": lambda: {"decision": "explicitDeny", "from": (now - timedelta(days=random.randrange(1, 40))).strftime("%Y-%m-%dT%H:%M:%SZ"),
                             "to": (now - timedelta(days=random.randrange(0, 1))).strftime("%Y-%m-%dT%H:%M:%SZ"), "limit": 100},
    "newest": lambda: {"limit": 100},
    "principal page 2": None,
}
results = {}
for name, make in cases.items():
    times = []
    for _ in range(300):
        if make is None:
            first_ms, first = get({"principal": f"arn:aws:iam::111122223333:user/u{random.randrange(100000)}", "limit": 20})
            if not first["nextCursor"]:
                continue
            ms, _ = get({"principal": first["decisions"][0]["principal"], "limit": 20, "cursor": first["nextCursor"]})
        else:
            ms, _ = get(make())
        times.append(ms)
    times.sort()
    results[name] = {"queries": len(times), "p50_ms": round(times[len(times) // 2], 2),
                     "p99_ms": round(times[int(len(times) * 0.99) - 1], 2), "max_ms": round(times[-1], 2)}
    print(f"{name:18s} p50 {results[name]['p50_ms']:7.2f} ms  p99 {results[name]['p99_ms']:7.2f} ms  max {results[name]['max_ms']:7.2f} ms")
out = {"rows": int(os.environ["ROWS"]), "lookups": results}
with open("bench/results/history.json", "w") as f:
    f.write(json.dumps(out) + "\n")
print("target: p99 <= 50 ms on 10,000,000 rows")
PY
