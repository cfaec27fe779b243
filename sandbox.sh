#!/usr/bin/env bash
# Serin on this machine, no cluster and no Docker: builds the project, starts a Kafka broker, a
# simulated Kubernetes cluster, traffic and the four services, then runs a demo canary release.
#   ./sandbox.sh                     healthy canary: promoted
#   ./sandbox.sh --scenario bad      faulty canary (5% errors): rolled back
#   ./sandbox.sh --scenario blue-green | ab-header | shadow | api-versions | all
#   ./sandbox.sh --keep              keep everything running afterwards (Ctrl-C stops it)
set -euo pipefail
cd "$(dirname "$0")"
echo "serin-sandbox: building (the first run downloads dependencies from Maven Central) …"
mvn -B -q -DskipTests package
exec java -Dserin.home="$PWD" -cp "sandbox/target/classes:$(cat sandbox/target/sandbox.classpath)" \
  io.serin.sandbox.SandboxMain "$@"
