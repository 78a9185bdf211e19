import { isLumioError } from '../errors/index.js';
import type { HttpClient } from '../http/index.js';
import type { AttemptOutcome, ClaimedEventDelivery } from '../store/index.js';
import { buildDeliveryBody } from './delivery-body.js';
import { signDelivery } from './signing.js';

/** URL and HMAC key of one delivery. */
export interface DeliveryTarget {
  url: string;
  /** The decoded HMAC key of the subscription's secret. */
  key: Buffer;
}

export interface AttemptResult {
  succeeded: boolean;
  /** Stable code of the failure, or null on success. */
  errorCode: string | null;
  outcome: AttemptOutcome;
}

/**
 * Start of a response body kept in the attempt log, in characters.
 *
 * NOTE: the HTTP client reads the whole body before it is cut, so a subscriber that sends
 * a large body holds that memory until the body ends or the timeout fires.
 */
const EXCERPT_LENGTH = 500;

function describeFailure(error: unknown, timeoutMs: number): { code: string; message: string } {
  if (!isLumioError(error)) {
    return { code: 'EVENT_DELIVERY_FAILED', message: error instanceof Error ? error.message : String(error) };
  }

  // The HTTP client words its errors for connector requests, so they are reworded for subscribers.
  switch (error.code) {
    case 'PROVIDER_TIMEOUT':
      return { code: 'SUBSCRIBER_TIMEOUT', message: `The subscriber did not respond within ${timeoutMs} ms; respond with 2xx first and do slow work afterwards.` };
    case 'PROVIDER_UNREACHABLE':
      return { code: 'SUBSCRIBER_UNREACHABLE', message: `The request failed before a response arrived (${String(error.details.errorCode ?? 'network error')}); check that the URL is reachable from Lumio.` };
    case 'DESTINATION_NOT_ALLOWED': {
      const { host, address, range } = error.details as { host?: string; address?: string; range?: string };
      const resolved = host === address ? '' : ` resolved to ${String(address)}, which`;
      return { code: 'DESTINATION_NOT_ALLOWED', message: `The host "${String(host)}"${resolved} is a ${String(range)} address that event subscriptions may not reach; use a public URL.` };
    }
    default:
      return { code: error.code, message: error.message };
  }
}

/**
 * Sends one attempt of a delivery: a POST of the event's JSON body, signed for this
 * attempt's time. 2xx is success; any other status, a timeout or a network error is a
 * failure. A failed request is returned as an attempt result instead of raising.
 */
export async function sendDelivery(http: HttpClient, target: DeliveryTarget, delivery: ClaimedEventDelivery, timeoutMs: number): Promise<AttemptResult> {
  const body = buildDeliveryBody(delivery.event);
  const attemptedAt = Date.now();
  const headers = signDelivery(target.key, delivery.id, Math.floor(attemptedAt / 1000), body);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);

  try {
    const response = await http.send({ method: 'POST', url: target.url, headers: { ...headers, 'content-type': 'application/json' }, body });
    const succeeded = response.status >= 200 && response.status <= 299;
    const outcome: AttemptOutcome = {
      attemptedAt,
      durationMs: elapsed(),
      statusCode: response.status,
      errorCode: succeeded ? null : 'SUBSCRIBER_REJECTED',
      errorMessage: succeeded ? null : `The subscriber responded with HTTP ${response.status}; only 2xx counts as delivered.`,
      responseExcerpt: response.rawBody === '' ? null : response.rawBody.slice(0, EXCERPT_LENGTH),
    };
    return { succeeded, errorCode: outcome.errorCode, outcome };
  } catch (error) {
    const failure = describeFailure(error, timeoutMs);
    return {
      succeeded: false,
      errorCode: failure.code,
      outcome: { attemptedAt, durationMs: elapsed(), statusCode: null, errorCode: failure.code, errorMessage: failure.message, responseExcerpt: null },
    };
  }
}
