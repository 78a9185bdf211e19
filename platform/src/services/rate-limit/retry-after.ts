// Delta-seconds. RFC 9110 allows whole seconds only, but some providers send "2.5".
const SECONDS = /^\d+(?:\.\d+)?$/;

// IMF-fixdate, the HTTP-date form RFC 9110 requires senders to use: "Sun, 06 Nov 1994 08:49:37 GMT".
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Converts a Retry-After value to a wait in milliseconds from `nowMs`: delta-seconds, or
 * an IMF-fixdate (a date in the past gives 0). Returns undefined for a missing or invalid
 * value, including the obsolete RFC 850 and asctime date forms, so the caller falls back
 * to its own backoff.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();

  if (SECONDS.test(text)) return Math.ceil(Number(text) * 1000);
  if (!IMF_FIXDATE.test(text)) return undefined;

  const dateMs = Date.parse(text);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, Math.ceil(dateMs - nowMs));
}
