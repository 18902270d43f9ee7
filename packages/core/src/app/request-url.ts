// Design: the absolute URL a Fetch Request carries for a request-target (RFC 9112 §3.3), built
// the same way by every worker class. checkRequestHead has already vouched for the target and
// the Host field, so this only assembles: origin-form joins the Host; an absolute-form target is
// the URL itself (its authority agrees with Host); OPTIONS * becomes the path `/*`, since a URL
// cannot hold a bare asterisk. A Node listener's `req.url` stays the target as sent.

/** The URL of a request for `target`, served under `scheme`, with `host` from its Host field. */
export function requestUrl(host: string | undefined, target: string, scheme = 'http'): string {
  const authority = host === undefined || host === '' ? 'localhost' : host;
  if (target.charCodeAt(0) === 0x2f) return `${scheme}://${authority}${target}`;
  if (target === '*') return `${scheme}://${authority}/*`;
  return target;
}
