// The per-request cost of --request-timeout's bookkeeping (issue 20 asks for no timer per request):
// core's DeadlineQueue (a Map insert and delete; one interval per worker scans it) against the
// obvious alternative, a setTimeout and clearTimeout per request, with 64 requests in flight.
// Run from apps/bench after a build: `node deadline-cost.mjs`. Compare with a hello's CPU per
// request (apps/docs/benchmarks.md: tens of µs across a worker's and the kernel's time).
import { DeadlineQueue } from '@narwhal/core/worker';

const IN_FLIGHT = 64;
const requests = Array.from({ length: 4096 }, (_, id) => ({ id }));
const ignore = () => {};

function time(label, perRequest) {
  for (let i = 0; i < 200_000; i++) perRequest(i);
  const calls = 2_000_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) perRequest(i);
  console.log(`${label}: ${(Number(process.hrtime.bigint() - start) / calls).toFixed(0)} ns per request`);
}

const queue = new DeadlineQueue(30_000, ignore);
time('DeadlineQueue add + delete', (i) => {
  queue.add(requests[i & 4095]);
  queue.delete(requests[(i - IN_FLIGHT) & 4095]);
});
queue.close();

const timers = new Array(4096);
time('setTimeout + clearTimeout', (i) => {
  timers[i & 4095] = setTimeout(ignore, 30_000);
  clearTimeout(timers[(i - IN_FLIGHT) & 4095]);
});
for (const timer of timers) clearTimeout(timer);
