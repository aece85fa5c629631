#!/usr/bin/env bash
# Scale benchmark (issue 4): a large account (100,000 users, 10,000 roles, 20,000 managed policies,
# 1,000,000 statements) and a small one (about 1,000 statements) in one database, then the large one
# loaded whole from PostgreSQL under a 2 GB heap, and decision medians on both in the same run.
#
#   bench/run-scale-bench.sh            # about 2 minutes (the first time also ~20 s of generation)
#   FRESH=1 bench/run-scale-bench.sh    # generate the accounts again
#   LOADS=5 bench/run-scale-bench.sh    # more loads of the large account (default 3)
#   JAVA_OPTS=-XX:+UseTransparentHugePages bench/run-scale-bench.sh   # extra JVM options
#
# Needs the machine's PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth): it keeps the
# generated accounts in the database rolegate_scale (about 200 MB; drop it when done).
# Results: bench/results/scale.json; see ScaleBench.java for what is measured and how.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
(exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null || { echo "no PostgreSQL on 127.0.0.1:5432" >&2; exit 2; }
if [[ -n "${FRESH:-}" ]]; then
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS rolegate_scale" >/dev/null
fi
if ! psql -h 127.0.0.1 -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'rolegate_scale'" | grep -q 1; then
  psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE rolegate_scale" >/dev/null
fi

cp="$(mktemp)"
trap 'rm -f "$cp"' EXIT
./mvnw -q -B -pl api -am -Dspotless.check.skip=true test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp" -Dmdep.includeScope=test >/dev/null
mkdir -p bench/results
# -Xmx2g (HEAP) is the issue's bound: the load must fit in it.
"$java" "-Xmx${HEAP:-2g}" ${JAVA_OPTS:-} -cp "api/target/test-classes:api/target/classes:$(cat "$cp")" \
  dev.rolegate.api.bench.ScaleBench jdbc:postgresql://127.0.0.1:5432/rolegate_scale \
  bench/results/scale.json "${LOADS:-3}"
