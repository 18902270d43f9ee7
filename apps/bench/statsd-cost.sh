#!/bin/bash
# What --statsd-host costs a hello app (apps/docs/metrics.md): one worker of CLASS (default async)
# with statsd off and on (to a UDP sink on loopback), ROUNDS times (default 3), in one run; each
# round warms up 2 s, then runs `wrk -t1 -c64 -d5s` and prints req/s and the CPU time the narwhal
# processes (arbiter and worker) spent per request. Run from the repository root after `pnpm build`.
set -u
CLASS=${1:-async}
K=$CLASS; [ "$CLASS" != sync ] && K=./packages/worker-$CLASS
PORT=18090; SINK_PORT=18126
TICK=$(getconf CLK_TCK)
cpu() { local total=0; for pid in "$@"; do local fields=($(sed 's/.*) //' "/proc/$pid/stat")); total=$((total + fields[11] + fields[12])); done; echo "$total"; }
node -e "const s = require('node:dgram').createSocket('udp4'); s.on('message', () => {}); s.bind($SINK_PORT, '127.0.0.1')" & SINK=$!
trap 'kill $SINK 2>/dev/null' EXIT
for round in $(seq 1 "${ROUNDS:-3}"); do
  # Odd rounds run off first, even rounds on first, so that a drift of the machine favours neither.
  modes="off on"; [ $((round % 2)) = 0 ] && modes="on off"
  for mode in $modes; do
    extra=(); [ "$mode" = on ] && extra=(--statsd-host "127.0.0.1:$SINK_PORT")
    node packages/core/bin/narwhal.js -k "$K" -w 1 -b "127.0.0.1:$PORT" "${extra[@]}" apps/examples/hello-node/app.js > /dev/null 2>&1 & NARWHAL=$!
    for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
    wrk -t1 -c64 -d2s "http://127.0.0.1:$PORT/" > /dev/null
    pids=("$NARWHAL" $(pgrep -P "$NARWHAL"))
    before=$(cpu "${pids[@]}")
    report=$(wrk -t1 -c64 -d5s "http://127.0.0.1:$PORT/")
    after=$(cpu "${pids[@]}")
    rps=$(awk '/Requests\/sec/ {print $2}' <<< "$report")
    requests=$(awk '/requests in/ {print $1}' <<< "$report")
    echo "$CLASS round $round statsd=$mode req/s=$rps cpu_us_per_request=$(echo "($after - $before) * 1000000 / $TICK / $requests" | bc -l | cut -c1-5)"
    kill -TERM "$NARWHAL"; wait "$NARWHAL" 2>/dev/null
  done
done
