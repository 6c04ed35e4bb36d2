#!/usr/bin/env bash
# The suite on a busy machine: N `npm test` runs in a row (default 3) while a CPU hog (a Node busy
# loop) runs beside them. The suite must pass every run: tests wait on conditions, never on fixed
# sleeps that only work on an idle machine.
#
#   scripts/busy-suite.sh [N] [vitest arguments…]
#   scripts/busy-suite.sh                      # three whole-suite runs
#   scripts/busy-suite.sh 1 test/unit/go       # one run of a few files, to try the script
#
# Prints one line per run (tests passed/failed, wall time, log file) and exits 1 if any run failed.
# BUSY_HOGS=<n> starts n hog processes (default 1); each ends by itself after BUSY_HOG_MAX_S
# seconds (default 7200) and is stopped by its PID when the script ends. BUSY_RUN_MAX_S bounds one
# run (default 3600 s).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
  runs=$1
  shift
fi
hogs=${BUSY_HOGS:-1}
hog_max_s=${BUSY_HOG_MAX_S:-7200}
run_max_s=${BUSY_RUN_MAX_S:-3600}
logs=$(mktemp -d "${TMPDIR:-/tmp}/busy-suite.XXXXXX")

hog_pids=()
stop_hogs() {
  for pid in "${hog_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_hogs EXIT
for ((h = 0; h < hogs; h++)); do
  node -e "const end = Date.now() + ${hog_max_s} * 1000; while (Date.now() < end) {}" &
  hog_pids+=("$!")
done
echo "busy-suite: $runs run(s) of npm test ${*:-(whole suite)} beside $hogs CPU hog(s) (PIDs ${hog_pids[*]}); logs in $logs"

failed_runs=0
for ((i = 1; i <= runs; i++)); do
  log="$logs/run-$i.log"
  json="$logs/run-$i.json"
  start=$(date +%s)
  code=0
  timeout --kill-after=30 "$run_max_s" npm test -- --reporter=default --reporter=json --outputFile.json="$json" "$@" >"$log" 2>&1 || code=$?
  seconds=$(($(date +%s) - start))
  counts=$(node -e '
    try {
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
    } catch { console.log("no results"); }' "$json")
  if [[ $code -ne 0 ]]; then failed_runs=$((failed_runs + 1)); verdict="FAILED (exit $code)"; else verdict=ok; fi
  echo "run $i/$runs: $counts, ${seconds} s, $verdict ($log)"
done

if [[ $failed_runs -gt 0 ]]; then
  echo "busy-suite: $failed_runs of $runs run(s) failed"
  exit 1
fi
echo "busy-suite: all $runs run(s) passed"
