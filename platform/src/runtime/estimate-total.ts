import { LumioError } from '../errors/index.js';
import type { ConnectorContext } from './connector-context.js';
import { executeRequest } from './execute-request.js';
import { getPath } from './get-path.js';
import { getObjectDefinition } from './get-record-id.js';
import { readCount } from './pagination/index.js';

/**
 * Runs the object's `count` operation and returns the total it reports, or undefined
 * when the object declares none. Raises `TOTAL_INVALID` when `totalPath` contains no count.
 */
export async function estimateTotal(ctx: ConnectorContext, object: string, signal?: AbortSignal): Promise<number | undefined> {
  const count = getObjectDefinition(ctx.manifest, object).operations.count;
  if (!count) return undefined;

  const response = await executeRequest(ctx, count, {}, { operation: 'count', object, ...(signal ? { signal } : {}) });
  const total = readCount(getPath(response.body, count.totalPath));
  if (total !== undefined) return total;

  throw new LumioError(
    'TOTAL_INVALID',
    `The count operation of "${object}" returned no number at "${count.totalPath}"; fix count.totalPath in the "${ctx.manifest.id}" manifest.`,
    { status: 502, fault: 'connector', details: { object, totalPath: count.totalPath } },
  );
}
