#!/usr/bin/env bash
# The README's run command: builds what is missing, then starts an orchestrator and two workers on
# loopback with embedded defaults, runs a few jobs, shows their progress and results, and stops
# everything it started. Needs only Java 17+ (the Maven wrapper fetches Maven).
# ./demo.sh --holarchy [dir]: the three-level run instead (root <- region orchestrator <- workers, docs/HOLARCHY.md).
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -f orchestrator/target/quarkus-app/quarkus-run.jar || ! -f worker/target/quarkus-app/quarkus-run.jar \
      || ! -f e2e/target/rxon-demo.jar ]]; then
    echo "building (first run only)..."
    ./mvnw -B -q package -DskipTests
fi
if [[ "${1:-}" == "--holarchy" ]]; then
    exec java -jar e2e/target/rxon-demo.jar --holarchy "${2:-data/demo-holarchy}"
fi
exec java -jar e2e/target/rxon-demo.jar "${1:-data/demo}"
