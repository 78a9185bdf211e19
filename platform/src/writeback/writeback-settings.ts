import { canonicalSchemas, suggestClosest } from '@lumio/plugin-sdk';

import { CONFLICT_POLICIES, type ConflictPolicy, type Connection, type Store } from '../store/index.js';
import type { FieldProblem } from './canonical-validator.js';
import { DEFAULT_CONFLICT_POLICY } from './conflict-policy.js';
import { DEFAULT_MATCH_FIELDS } from './match-key.js';
import { throwProblems } from './parse-write-request.js';

const SETTINGS_FIELDS = ['conflictPolicy', 'matchOn'];

/** Write-back settings of a connection as the API shows them, defaults filled in. */
export interface EffectiveWritebackSettings {
  conflictPolicy: ConflictPolicy;
  /** Match field per canonical object: the connection's own choices over Lumio's defaults. */
  matchOn: Record<string, string>;
  /** When the settings were last saved, or null while the defaults apply. */
  updatedAt: string | null;
}

export async function readWritebackSettings(store: Store, connection: Connection): Promise<EffectiveWritebackSettings> {
  const saved = await store.writebackSettings.get(connection.id);
  return {
    conflictPolicy: saved?.conflictPolicy ?? DEFAULT_CONFLICT_POLICY,
    matchOn: { ...DEFAULT_MATCH_FIELDS, ...saved?.matchOn },
    updatedAt: saved?.updatedAt ?? null,
  };
}

/**
 * Saves the settings of `PUT /v1/integrations/{id}/writeback`. Fields left out keep their
 * saved value; `matchOn` entries replace the saved entries of the same objects. Raises
 * WRITE_REQUEST_INVALID (400) for an unknown policy, object or field.
 */
export async function saveWritebackSettings(store: Store, connection: Connection, body: Record<string, unknown>): Promise<EffectiveWritebackSettings> {
  const problems: FieldProblem[] = [];
  for (const name of Object.keys(body)) {
    if (SETTINGS_FIELDS.includes(name)) continue;
    const suggestion = suggestClosest(name, SETTINGS_FIELDS);
    problems.push({ field: name, message: `${name} is not a write-back setting${suggestion ? `; did you mean ${suggestion}?` : `; the settings are ${SETTINGS_FIELDS.join(' and ')}.`}` });
  }

  const policy = body.conflictPolicy;
  if (policy !== undefined && !CONFLICT_POLICIES.includes(policy as ConflictPolicy)) {
    problems.push({ field: 'conflictPolicy', message: `conflictPolicy must be one of ${CONFLICT_POLICIES.join(', ')}, got ${JSON.stringify(policy)}.` });
  }
  const matchOn = body.matchOn === undefined ? {} : readMatchOn(body.matchOn, problems);
  throwProblems(problems);

  const saved = await store.writebackSettings.get(connection.id);
  await store.writebackSettings.save(connection.id, {
    conflictPolicy: (policy as ConflictPolicy | undefined) ?? saved?.conflictPolicy ?? DEFAULT_CONFLICT_POLICY,
    matchOn: { ...saved?.matchOn, ...matchOn },
  });
  return readWritebackSettings(store, connection);
}

/** Checks that each entry names a canonical object and one of its top-level fields. */
function readMatchOn(value: unknown, problems: FieldProblem[]): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ field: 'matchOn', message: 'matchOn must be an object of canonical object names to field names, such as {"contact": "email"}.' });
    return {};
  }

  const result: Record<string, string> = {};
  for (const [object, fieldName] of Object.entries(value)) {
    const schema = (canonicalSchemas as Record<string, { properties?: Record<string, unknown> }>)[object];
    if (!schema) {
      problems.push({ field: `matchOn.${object}`, message: `matchOn.${object} does not name a canonical object; use one of ${Object.keys(canonicalSchemas).join(', ')}.` });
      continue;
    }
    const fields = Object.keys(schema.properties ?? {});
    if (typeof fieldName !== 'string' || !fields.includes(fieldName)) {
      const suggestion = typeof fieldName === 'string' ? suggestClosest(fieldName, fields) : undefined;
      problems.push({ field: `matchOn.${object}`, message: `matchOn.${object} must name a field of a ${object}, got ${JSON.stringify(fieldName)}.${suggestion ? ` Did you mean ${suggestion}?` : ''}` });
      continue;
    }
    result[object] = fieldName;
  }
  return result;
}
