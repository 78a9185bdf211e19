import type { ManifestIssue } from '../issue.js';
import { pointerOf } from '../json-pointer.js';
import { suggestClosest } from '../levenshtein.js';
import { asArray, asRecord, asString, recordEntries, type JsonRecord } from './read-json.js';

/** Checks that every endpointGroup a budget limits is declared by at least one request. */
export function checkRateLimits(manifest: JsonRecord): ManifestIssue[] {
  const declared = collectEndpointGroups(manifest);
  const issues: ManifestIssue[] = [];

  asArray(asRecord(manifest.rateLimits)?.budgets).forEach((budgetValue, index) => {
    const budget = asRecord(budgetValue);
    const group = asString(budget?.endpointGroup);
    if (budget?.scope !== 'endpointGroup' || group === undefined || declared.has(group)) return;

    const suggestion = suggestClosest(group, declared);
    issues.push({
      pointer: pointerOf('rateLimits', 'budgets', index, 'endpointGroup'),
      keyword: 'semantic:undeclaredEndpointGroup',
      message: `Budget '${String(budget.name)}' limits the endpoint group '${group}', but no request declares that endpointGroup.`,
      ...(suggestion === undefined ? {} : { suggestion }),
    });
  });
  return issues;
}

/** Returns the endpointGroup names of every request: the connection test, object operations and actions. */
function collectEndpointGroups(manifest: JsonRecord): Set<string> {
  const requests: unknown[] = [asRecord(asRecord(manifest.connection)?.test)?.request];
  for (const [, object] of recordEntries(manifest.objects)) {
    for (const [, operation] of recordEntries(asRecord(object)?.operations)) requests.push(operation);
  }
  for (const [, action] of recordEntries(manifest.actions)) requests.push(asRecord(action)?.request);

  const groups = new Set<string>();
  for (const request of requests) {
    const group = asString(asRecord(request)?.endpointGroup);
    if (group !== undefined) groups.add(group);
  }
  return groups;
}
