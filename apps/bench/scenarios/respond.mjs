// Design: the three ways a scenario answers, one per server API, so that every scenario file
// only says what its body is. Every target sends status 200, the same content-type and the
// same body bytes; the framing headers (Date, Connection…) are each server's own.

/**
 * @param {import('node:http').ServerResponse} res
 * @param {string} contentType
 * @param {Buffer | string} body
 */
export function sendNode(res, contentType, body) {
  res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * @param {string} contentType
 * @param {Buffer | string} body
 * @returns {Response}
 */
export function sendFetch(contentType, body) {
  return new Response(body, { headers: { 'content-type': contentType } });
}

/**
 * Corked, as uWS wants for any response written after an await or a timer.
 * @param {import('uWebSockets.js').HttpResponse} res
 * @param {string} contentType
 * @param {Buffer | string} body
 */
export function sendUws(res, contentType, body) {
  res.cork(() => {
    res.writeStatus('200 OK').writeHeader('content-type', contentType).end(body);
  });
}
