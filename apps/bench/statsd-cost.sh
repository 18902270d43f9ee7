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
RESULTS=$(mktemp)
trap 'kill $SINK 2>/dev/null; rm -f "$RESULTS"' EXIT
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
    echo "$CLASS round $round statsd=$mode req/s=$rps cpu_us_per_request=$(echo "($after - $before) * 1000000 / $TICK / $requests" | bc -l | cut -c1-5)" | tee -a "$RESULTS"
    kill -TERM "$NARWHAL"; wait "$NARWHAL" 2>/dev/null
  done
done
# The medians over the rounds, and what statsd costs by each measure.
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { grep "statsd=$1 " "$RESULTS" | sed "s|.*$2=\([0-9.]*\).*|\1|" | median; }
off_rps=$(field off req/s); on_rps=$(field on req/s); off_cpu=$(field off cpu_us_per_request); on_cpu=$(field on cpu_us_per_request)
echo "$CLASS median req/s off=$off_rps on=$on_rps (ratio $(echo "$on_rps / $off_rps" | bc -l | cut -c1-5)); CPU per request off=$off_cpu µs on=$on_cpu µs (cost $(echo "($on_cpu / $off_cpu - 1) * 100" | bc -l | cut -c1-5)%)"
