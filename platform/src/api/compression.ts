import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

import type { Context, MiddlewareHandler } from 'hono';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Responses up to this many bytes are sent uncompressed, because compressing them saves too little. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

const COMPRESSIBLE = /^\s*(?:text\/(?!event-stream)|application\/(?:[\w.+-]*\+)?(?:json|xml|javascript)|image\/svg\+xml)/i;
type Encoding = 'br' | 'gzip';

export interface CompressionOptions {
  /** Paths whose responses are never compressed, such as the provider-facing webhook router. */
  skip?: (path: string) => boolean;
}

/**
 * Compresses responses larger than 1 KiB with Brotli or gzip, as `Accept-Encoding` prefers.
 *
 * Hono's own `compress` middleware (hono 4.13) is not used, because it applies its threshold
 * only when the response has a Content-Length, which `c.json` does not set, and it offers
 * gzip and deflate but not Brotli. Responses here are buffered JSON or text, so this one
 * reads the body, measures it and compresses it with node:zlib. Streams
 * (`text/event-stream`) pass untouched.
 *
 * Every response of a compressible content type gets `Vary: Accept-Encoding`, whatever its
 * size, because the size is known only after reading the body. A request that accepts
 * neither coding leaves the body unread. With @hono/node-server, reading it, or only checking
 * `response.body`, turns the light response of `c.json` into a full Fetch Response with a
 * body stream. That was about 8% of the CPU of `GET /v1/records` in test/bench/api-reads.ts.
 */
export function compressResponses(options: CompressionOptions = {}): MiddlewareHandler {
  return async (c, next) => {
    await next();

    const response = c.res;
    if (options.skip?.(c.req.path) || c.req.method === 'HEAD') return;
    if (response.status === 204 || response.status === 206 || response.status === 304) return;
    if (response.headers.has('content-encoding') || /no-transform/i.test(response.headers.get('cache-control') ?? '')) return;
    if (!COMPRESSIBLE.test(response.headers.get('content-type') ?? '')) return;

    const encoding = selectEncoding(c.req.header('accept-encoding'));
    if (!encoding) {
      varyOnAcceptEncoding(c, response);
      return;
    }
    if (!response.body) return;

    const body = Buffer.from(await response.arrayBuffer());
    const headers = new Headers(response.headers);
    appendVary(headers, 'Accept-Encoding');

    let payload = body;
    if (body.byteLength > COMPRESSION_THRESHOLD_BYTES) {
      payload = encoding === 'br' ? await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } }) : await gzipAsync(body);
      headers.set('content-encoding', encoding);
    }
    headers.set('content-length', String(payload.byteLength));

    // Hono copies the previous response's headers onto a new one, so the old response is dropped first.
    c.res = undefined;
    c.res = new Response(payload, { status: response.status, statusText: response.statusText, headers });
  };
}

/**
 * Adds `Vary: Accept-Encoding` to the response in place, which keeps a light response of
 * @hono/node-server light. Headers of a response made by `fetch` or `Response.redirect` cannot
 * change, so such a response is copied with the header added.
 */
function varyOnAcceptEncoding(c: Context, response: Response): void {
  try {
    appendVary(response.headers, 'Accept-Encoding');
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;

    const headers = new Headers(response.headers);
    appendVary(headers, 'Accept-Encoding');
    c.res = undefined;
    c.res = new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

/**
 * Picks Brotli or gzip by q-value (RFC 9110, section 12.5.3), Brotli on a tie because it
 * makes smaller JSON. `*` stands for both; a coding with q=0 is refused.
 */
export function selectEncoding(header: string | undefined): Encoding | undefined {
  if (!header) return undefined;

  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...parameters] = part.trim().toLowerCase().split(';');
    const quality = parameters.map((parameter) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(parameter)?.[1]).find((value) => value !== undefined);
    const weight = quality === undefined ? 1 : Number(quality);
    if (name !== '' && Number.isFinite(weight)) weights.set(name.trim(), Math.min(1, weight));
  }

  const wildcard = weights.get('*');
  const weightOf = (encoding: Encoding) => weights.get(encoding) ?? wildcard ?? 0;
  const best = (['br', 'gzip'] as const).reduce<Encoding | undefined>((chosen, encoding) => (weightOf(encoding) > (chosen ? weightOf(chosen) : 0) ? encoding : chosen), undefined);
  return best;
}

function appendVary(headers: Headers, name: string): void {
  const current = headers.get('vary');
  if (!current) headers.set('vary', name);
  else if (!current.split(',').some((entry) => entry.trim().toLowerCase() === name.toLowerCase() || entry.trim() === '*')) headers.set('vary', `${current}, ${name}`);
}
