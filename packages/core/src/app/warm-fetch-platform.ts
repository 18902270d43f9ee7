// Design: Node loads its Fetch implementation (undici, web streams) on the first use of Request or
// Response: about 10 MiB and 50-200 ms of the thread's time measured here. A worker serving a
// Fetch handler needs it for any body it reads or any response beyond a simple one, so it would
// pay that inside its first requests, after telling the arbiter it was ready (under load the
// kit's 1 s deadline was missed that way). So a Fetch app's worker pays it before it reports
// ready; a Node listener, which may never name them, does not.

/** Loads and exercises the platform's Request, Response and body streams once. */
export async function warmFetchPlatform(): Promise<void> {
  await new Request('http://narwhal.invalid/', { method: 'POST', body: 'warm-up' }).text();
  await new Response('warm-up', { headers: { 'x-warm-up': '1' } }).arrayBuffer();
}
