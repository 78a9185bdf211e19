import { headerMalformed, headerMissing, outsideWindow } from './failures.js';
import type { VerificationResult, VerifyInput } from './scheme-types.js';
import { isWithinWindow, parseEpochHeader } from './timestamp-window.js';
import { toleranceSeconds } from './verify-input.js';

/** A delivery's signing time in epoch milliseconds, or the failed result to return. */
export type SignedTime = { signedAt: number } | { failure: VerificationResult };

/**
 * Parses a signing timestamp carried by `headerName` and checks that it lies within the
 * manifest's tolerance of the receive time, in either direction.
 */
export function checkSignedTime(
  text: string | undefined,
  unit: 'seconds' | 'milliseconds',
  headerName: string,
  input: VerifyInput,
): SignedTime {
  if (text === undefined) return { failure: headerMissing(headerName) };

  const signedAt = parseEpochHeader(text, unit);
  if (signedAt === null) return { failure: headerMalformed(headerName) };

  const tolerance = toleranceSeconds(input.signature);
  if (!isWithinWindow(signedAt, input.now, tolerance)) return { failure: outsideWindow(tolerance, unitHint(text, unit, headerName, input.now, tolerance)) };

  return { signedAt };
}

/**
 * Names the unit mix-up when the value would be inside the window in the other unit, as a
 * HubSpot v3 sender that writes `date +%s` (seconds) where milliseconds are read does.
 */
function unitHint(text: string, unit: 'seconds' | 'milliseconds', headerName: string, now: number, tolerance: number): string | undefined {
  const other = unit === 'seconds' ? 'milliseconds' : 'seconds';
  const signedAt = parseEpochHeader(text, other);
  if (signedAt === null || !isWithinWindow(signedAt, now, tolerance)) return undefined;
  return `${headerName} is read as epoch ${unit}, and its value looks like epoch ${other}; send ${unit}.`;
}
