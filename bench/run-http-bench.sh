#!/usr/bin/env bash
# HTTP benchmark: rolegate (the packaged jar, audit on) under load from wrk (Debian: apt-get
# install wrk) with bench/http/rolegate.lua.
#
#   bench/run-http-bench.sh                 # 15 s per phase; about 4 to 5 minutes with the warm-up
#   SECONDS_PER_PHASE=30 bench/run-http-bench.sh
#   HEAP_OPTS=-Xmx512m bench/run-http-bench.sh   # the JVM's heap options (default -Xmx512m)
#   MICRONAUT_METRICS_BINDERS_WEB_ENABLED=false bench/run-http-bench.sh   # without request timing
#   ROLEGATE_AUDIT_ANSWER_AFTER_STORE=true RESULTS=bench/results/http-answer-after-store.json \
#     bench/run-http-bench.sh               # answers waiting until their audit record is stored
#
# Phases, in one run against one server, each after a warm-up of the same traffic:
#   1. the most throughput (32 connections) for the decision endpoint and for a trivial endpoint
#      (GET /v1/status: authenticated like a decision, but no engine and no database);
#   2. both endpoints paced to about half of the decision endpoint's maximum: p50, p99, p99.9;
#   3. the most throughput for batches of BATCH decisions (default 20; BATCH=0: none).
# The warm-up runs until the JIT compilers are nearly idle (see below), so the phases measure the
# steady state.
# Results: bench/results/http.json (RESULTS; one JSON line per phase) and a summary with the ratio.
# The database: the machine's PostgreSQL on 127.0.0.1:5432 when it answers (a fresh database
# rolegate_bench), else the embedded one under a temporary ROLEGATE_HOME.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
phase="${SECONDS_PER_PHASE:-15}"
concurrency="${CONCURRENCY:-32}"
port="${PORT:-18199}"
export ROLEGATE_TOKEN=bench-token
[[ -f api/target/rolegate.jar ]] || ./mvnw -q -B package -DskipTests

home="$(mktemp -d)"
if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS rolegate_bench" -c "CREATE DATABASE rolegate_bench" >/dev/null
  export DATASOURCES_DEFAULT_URL=jdbc:postgresql://127.0.0.1:5432/rolegate_bench DATASOURCES_DEFAULT_USERNAME=postgres
fi
ROLEGATE_HOME="$home" ROLEGATE_BOOTSTRAP_TOKEN=$ROLEGATE_TOKEN MICRONAUT_SERVER_PORT=$port \
  "$java" ${HEAP_OPTS:--Xmx512m} -jar api/target/rolegate.jar --demo > "$home/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$home"' EXIT
for _ in $(seq 60); do
  curl -fs "http://localhost:$port/health/liveness" >/dev/null 2>&1 && grep -q "demo account" "$home/server.log" && break
  sleep 0.5
done

body="$home/decision.json"
cat > "$body" <<'JSON'
{"principal": "arn:aws:iam::111122223333:user/platform/alice", "operation": "associate",
 "instanceArn": "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0",
 "roleArn": "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-web",
 "context": {"aws:SourceIp": "203.0.113.7"}}
JSON
decide="http://localhost:$port/v1/decisions/instance-profile"
trivial="http://localhost:$port/v1/status"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
# load DURATION CONNECTIONS URL [BODY_FILE [DELAY_MS]]: one wrk run, its JSON line on stdout
load() {
  BODY_FILE="${4:-}" DELAY_MS="${5:-0}" wrk -t2 -c"$2" -d"$1"s -s bench/http/rolegate.lua "$3" | tail -1
}
tag() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); d.update(json.loads(sys.argv[2])); print(json.dumps(d))" "$1" "$2"; }

# Warm-up: both endpoints in rounds until the JIT compilers are nearly idle. On these 2-core
# machines C1 and C2 keep compiling the decision path for 30-40 s under load, and a phase measured
# meanwhile shares the cores with them (measured: decisions 9,200 req/s after the 15 s warm-up this
# script had before, 14,000-16,000 once the compilers had settled). A round counts as quiet when
# the compiler threads used under 2 % of its wall time; at most WARMUP_ROUNDS rounds (default 8).
compiler_ticks() {
  local t=0 task
  for task in /proc/$server/task/*; do
    grep -q '^C[12] CompilerThre' "$task/comm" 2>/dev/null && t=$((t + $(awk '{print $14 + $15}' "$task/stat")))
  done
  echo "$t"
}
hz=$(getconf CLK_TCK)
warmup_rounds=0
for round in $(seq "${WARMUP_ROUNDS:-8}"); do
  before=$(compiler_ticks)
  load 10 "$concurrency" "$decide" "$body" >/dev/null
  load 5 "$concurrency" "$trivial" >/dev/null
  compiled=$(( $(compiler_ticks) - before ))
  warmup_rounds=$round
  echo "warm-up round $round: the JIT compilers used $(python3 -c "print(f'{$compiled / $hz:.2f}')") s of CPU in 15 s" >&2
  (( compiled * 100 < 15 * hz * 2 )) && break
done

# Before each measured phase: the audit backlog of the phase before stored (GET /v1/status tells
# the queue's length) and a few seconds more for its last batch and PostgreSQL's work after it, so
# that a phase does not pay for the decisions of the one before (the trivial phase runs right after
# the decisions' and would otherwise share the cores with their last thousands of audit rows).
settle() {
  for _ in $(seq 120); do
    queued=$(curl -fs -H "Authorization: Bearer $ROLEGATE_TOKEN" "$trivial" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["audit"]["queued"])')
    [[ "$queued" == 0 ]] && break
    sleep 0.5
  done
  sleep "${SETTLE_SECONDS:-3}"
}

results="${RESULTS:-bench/results/http.json}"
: > "$results"
settle
max_decide=$(tag "$(load "$phase" "$concurrency" "$decide" "$body")" '{"phase":"max","endpoint":"decision","warmup_rounds":'"$warmup_rounds"'}')
echo "$max_decide" | tee -a "$results"
settle
max_trivial=$(tag "$(load "$phase" "$concurrency" "$trivial")" '{"phase":"max","endpoint":"trivial"}')
echo "$max_trivial" | tee -a "$results"
# Pacing: each connection waits DELAY_MS (whole milliseconds) between requests. 8 connections give
# about half the maximum while that needs a delay of 1 ms or more (an answer then takes about a
# quarter of the p50 at full speed). On a faster machine the delay stays at 1 ms and more
# connections make up the half: there a cycle measured about 1 ms plus half that p50.
read -r conns delay < <(python3 -c "
import json, sys
m = json.loads(sys.argv[1])
half, p50 = m['throughput'] / 2, m['p50_ms']
delay = 8 * 1000 / half - p50 / 4
if delay >= 1:
    print(8, round(delay))
else:
    print(max(2, round(half * (1 + p50 / 2) / 1000)), 1)
" "$max_decide")
settle
half_decide=$(tag "$(load "$phase" "$conns" "$decide" "$body" "$delay")" "{\"phase\":\"half\",\"endpoint\":\"decision\",\"delay_ms\":$delay,\"connections\":$conns}")
echo "$half_decide" | tee -a "$results"
settle
half_trivial=$(tag "$(load "$phase" "$conns" "$trivial" "" "$delay")" "{\"phase\":\"half\",\"endpoint\":\"trivial\",\"delay_ms\":$delay,\"connections\":$conns}")
echo "$half_trivial" | tee -a "$results"
# Batches (POST /v1/decisions/instance-profile/batch): the same decision BATCH times per request
# (default 20; BATCH=0 skips the phase), each logged on its own, after a warm-up of their own.
# Last, so that the paced phases do not share the cores with PostgreSQL's work after a phase that
# logs about 30,000 decisions a second.
max_batch=null
if (( ${BATCH:-20} > 0 )); then
  batch_body="$home/batch.json"
  python3 -c "
import json, sys
one = json.load(open(sys.argv[1]))
json.dump({'requests': [one] * int(sys.argv[2])}, open(sys.argv[3], 'w'))
" "$body" "${BATCH:-20}" "$batch_body"
  load 10 "$concurrency" "$decide/batch" "$batch_body" >/dev/null
  settle
  max_batch=$(tag "$(load "$phase" "$concurrency" "$decide/batch" "$batch_body")" '{"phase":"max","endpoint":"batch","batch_size":'"${BATCH:-20}"'}')
  echo "$max_batch" | tee -a "$results"
fi

python3 - "$max_decide" "$max_trivial" "$half_decide" "$half_trivial" "$max_batch" <<'PY'
import json, sys
d, t, hd, ht, b = (json.loads(a) for a in sys.argv[1:6])
def line(name, r):
    print(f"{name:28s} {r['throughput']:8.0f} req/s  p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:6.2f} ms  p99.9 {r['p999_ms']:6.2f} ms  errors {r['errors']}")
print()
line("decisions, max", d)
line("trivial, max", t)
print(f"decisions / trivial throughput: {d['throughput'] / t['throughput']:.2f}   (target >= 0.70)")
if b:
    line(f"batches of {b['batch_size']}, max", b)
    per = b['throughput'] * b['batch_size']
    print(f"decisions in batches: {per:.0f} a second, {per / t['throughput']:.2f} of the trivial endpoint's requests")
line("decisions, paced to ~half", hd)
line("trivial, same pacing", ht)
print(f"decisions p99 at ~half of max: {hd['p99_ms']:.2f} ms   (target <= 5 ms)")
PY
