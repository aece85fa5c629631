#!/usr/bin/env bash
# Builds the engine's test classes and runs its JMH benchmark
# (engine/src/test/java/dev/rolegate/engine/bench/InstanceProfileAuthorizerBenchmark.java).
#
#   bench/run-engine-bench.sh                        # defaults: -f 1 -wi 5 -w 2s -i 5 -r 2s (~2.5 min)
#   bench/run-engine-bench.sh -f 1 -wi 3 -i 5        # any JMH option; given ones win
#   bench/run-engine-bench.sh -prof gc               # also allocation per operation
#   bench/run-engine-bench.sh 'decide.*' -prof stack # a subset, with a sampling profile
#
# Results: bench/results/engine.json (JMH JSON; -rf/-rff override), then a summary table with
# the ratios and the targets. Needs JDK 21+ as JAVA_HOME (JDK 25 is used where installed).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

# exec:exec splits its command line itself, on spaces outside quotes: hand it every argument
# quoted (single quotes when the argument holds a double quote).
args=""
for a in "$@"; do
  if [[ "$a" == *\"* ]]; then
    args+=" '$a'"
  else
    args+=" \"$a\""
  fi
done

exec ./mvnw -B -q -pl engine -Pbench test-compile exec:exec "-Dbench.args=${args# }"
