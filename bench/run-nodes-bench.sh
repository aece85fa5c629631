#!/usr/bin/env bash
# Several nodes: three rolegate nodes (the packaged jar) on one PostgreSQL. A policy change made on
# node 1 is timed until decisions on nodes 2 and 3 reflect it (they are not told: they learn of it
# through LISTEN/NOTIFY). Prints p50/p99/max of that delay; results in bench/results/nodes.json.
#
#   bench/run-nodes-bench.sh            # 200 changes, about 1 minute
#   CHANGES=500 bench/run-nodes-bench.sh
#
# Needs the machine's PostgreSQL on 127.0.0.1:5432 (trust auth), where it creates rolegate_nodes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[[ -f api/target/rolegate.jar ]] || ./mvnw -q -B package -DskipTests
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS rolegate_nodes" -c "CREATE DATABASE rolegate_nodes" >/dev/null
export DATASOURCES_DEFAULT_URL=jdbc:postgresql://127.0.0.1:5432/rolegate_nodes DATASOURCES_DEFAULT_USERNAME=postgres
export ROLEGATE_BOOTSTRAP_TOKEN=nodes-token
home="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$home"; psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS rolegate_nodes" >/dev/null || true' EXIT
for n in 1 2 3; do
  ROLEGATE_HOME="$home/$n" MICRONAUT_SERVER_PORT=$((18300 + n)) "$java" -Xmx256m -jar api/target/rolegate.jar \
    > "$home/node$n.log" 2>&1 &
  pids+=($!)
done
for n in 1 2 3; do
  for _ in $(seq 120); do curl -fs "http://localhost:$((18300 + n))/health" >/dev/null 2>&1 && break; sleep 0.5; done
done

CHANGES="${CHANGES:-200}" python3 - <<'PY'
import json, os, time, urllib.request

TOKEN = os.environ["ROLEGATE_BOOTSTRAP_TOKEN"]
ACCOUNT = "333344445555"
NODES = [f"http://localhost:{18300 + n}" for n in (1, 2, 3)]

def call(method, url, body=None):
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)

def policy(effect):
    return {"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": "*", "Resource": "*"}]}

base = f"{NODES[0]}/v1/accounts/{ACCOUNT}"
call("PUT", f"{base}/roles/app", {"trustPolicy": {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}})
request = {"principal": f"arn:aws:iam::{ACCOUNT}:user/ops", "operation": "disassociate",
           "instanceArn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/i-0123456789abcdef0"}
delays = []
for i in range(int(os.environ["CHANGES"])):
    effect = "Allow" if i % 2 == 0 else "Deny"
    call("PUT", f"{base}/users/ops", {"inlinePolicies": {"p": policy(effect)}})
    written = time.monotonic()
    for node in NODES[1:]:
        while True:
            answer = call("POST", f"{node}/v1/decisions/instance-profile", request)
            if answer["allowed"] == (effect == "Allow"):
                delays.append((time.monotonic() - written) * 1000)
                break
            if time.monotonic() - written > 10:
                raise SystemExit(f"node {node} did not see change {i} within 10 s")

delays.sort()
def pct(p):
    return delays[min(len(delays) - 1, max(0, int(round(p / 100 * len(delays))) - 1))]
result = {"changes": len(delays) // 2, "observations": len(delays), "p50_ms": round(pct(50), 2),
          "p99_ms": round(pct(99), 2), "max_ms": round(delays[-1], 2)}
os.makedirs("bench/results", exist_ok=True)
with open("bench/results/nodes.json", "w") as f:
    f.write(json.dumps(result) + "\n")
print(json.dumps(result))
print(f"a change on node 1 reached nodes 2 and 3 within p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms,"
      f" max {result['max_ms']} ms (target p99 <= 1000 ms)")
PY
