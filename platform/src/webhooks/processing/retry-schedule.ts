/** First retry delay of a failed event, in milliseconds. */
const BASE_DELAY_MS = 1_000;
/** Maximum wait between two attempts, in milliseconds. */
const MAX_DELAY_MS = 15 * 60_000;

/**
 * Returns when a failed event is tried again, by exponential backoff with full jitter: a
 * random delay between 0 and 1 s, 2 s, 4 s … capped at 15 minutes. Returns null once
 * `attempts` reached `maxAttempts`, which sends the event to the dead-letter list.
 */
export function nextAttemptAt(attempts: number, maxAttempts: number, now: number, random: () => number = Math.random): number | null {
  if (attempts >= maxAttempts) return null;

  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return now + Math.round(random() * ceiling);
}
