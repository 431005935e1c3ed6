#!/usr/bin/env bash
# Smoke test of the container images, run by CI after building them (.github/workflows/ci.yml).
# Starts the orchestrator and one worker as the Helm chart runs them (uid 185, read-only root, all
# capabilities dropped, writable /tmp and /data only), sends an echo job through them, then stops the
# worker and expects its drain to end with exit code 0.
#
#   ORCHESTRATOR_IMAGE=... WORKER_IMAGE=... deploy/images-smoke-test.sh
#
# Without DATABASE_HOST the orchestrator starts its embedded PostgreSQL in /data (the chart's trial
# mode); with it, it uses that PostgreSQL (DATABASE_NAME, DATABASE_USER, DATABASE_PASSWORD).
set -euo pipefail

: "${ORCHESTRATOR_IMAGE:?}" "${WORKER_IMAGE:?}"
WORKER_TOKEN=smoke-worker-token
CLIENT_TOKEN=smoke-client-token
HARDENED=(--network host --user 185 --read-only --tmpfs /tmp:rw,exec,size=512m
          --cap-drop ALL --security-opt no-new-privileges)

cleanup() {
    status=$?
    if [[ $status -ne 0 ]]; then
        for name in rxon-smoke-orchestrator rxon-smoke-worker; do
            echo "::group::logs of $name"; docker logs "$name" 2>&1 | tail -n 200 || true; echo "::endgroup::"
        done
    fi
    docker rm -f rxon-smoke-orchestrator rxon-smoke-worker >/dev/null 2>&1 || true
    docker volume rm -f rxon-smoke-orchestrator rxon-smoke-worker >/dev/null 2>&1 || true
    exit $status
}
trap cleanup EXIT

wait_for() {  # url, seconds
    local deadline=$((SECONDS + $2))
    until curl -fsS "$1" >/dev/null 2>&1; do
        if (( SECONDS > deadline )); then echo "not ready after $2 s: $1" >&2; return 1; fi
        sleep 2
    done
}

database=()
if [[ -n "${DATABASE_HOST:-}" ]]; then
    url="${DATABASE_HOST}:${DATABASE_PORT:-5432}/${DATABASE_NAME:-rxon}"
    database=(-e "QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://$url" -e "QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://$url"
              -e "QUARKUS_DATASOURCE_USERNAME=${DATABASE_USER:-rxon}" -e "QUARKUS_DATASOURCE_PASSWORD=${DATABASE_PASSWORD:-rxon}")
fi

docker run -d --name rxon-smoke-orchestrator "${HARDENED[@]}" -v rxon-smoke-orchestrator:/data \
    -e RXON_AUTH_MODE=static -e RXON_WORKER_TOKEN=$WORKER_TOKEN -e RXON_CLIENT_TOKEN=$CLIENT_TOKEN \
    "${database[@]}" "$ORCHESTRATOR_IMAGE"
wait_for http://127.0.0.1:8080/q/health/ready 180

docker run -d --name rxon-smoke-worker "${HARDENED[@]}" -v rxon-smoke-worker:/data \
    -e RXON_ORCHESTRATOR_URL=ws://127.0.0.1:8080 -e RXON_WORKER_ID=smoke-worker -e RXON_WORKER_TOKEN=$WORKER_TOKEN \
    -e RXON_DRAIN_GRACE_PERIOD=10s "$WORKER_IMAGE"
wait_for http://127.0.0.1:8081/q/health/ready 120
curl -fsS http://127.0.0.1:8080/q/metrics | grep -q '^rxon_workers_waiting' || { echo "no rxon metrics" >&2; exit 1; }

job=$(curl -fsS -X POST http://127.0.0.1:8080/api/v1/jobs -H "Authorization: Bearer $CLIENT_TOKEN" \
    -H 'Content-Type: application/json' -d '{"type":"echo","params":{"hello":"kubernetes"}}')
job_id=$(sed -E 's/.*"job_id" *: *"([^"]+)".*/\1/' <<<"$job")
deadline=$((SECONDS + 60))
until curl -fsS "http://127.0.0.1:8080/api/v1/jobs/$job_id" -H "Authorization: Bearer $CLIENT_TOKEN" \
        | grep -q '"status" *: *"finished"'; do
    if (( SECONDS > deadline )); then echo "job $job_id did not finish" >&2; exit 1; fi
    sleep 1
done
echo "job $job_id finished"

# What Kubernetes does on scale-down: SIGTERM, then SIGKILL after the grace period. The drain must win.
docker stop --time 40 rxon-smoke-worker >/dev/null
exit_code=$(docker inspect --format '{{.State.ExitCode}}' rxon-smoke-worker)
[[ "$exit_code" == 0 ]] || { echo "the worker exited with $exit_code after SIGTERM, expected 0" >&2; exit 1; }
echo "images OK: hardened start, job round trip, drain exit 0"
