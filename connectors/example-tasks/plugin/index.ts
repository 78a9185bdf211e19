// Plugin of the Example Tasks connector. It does two things a field mapping cannot:
// it divides value_cents by 100, because canonical deal amounts are in reais, and it turns
// the custom_fields list of {name, value} pairs into a `fields` object, so the mapping can
// read `fields.origem`. It runs in the platform's sandbox, with no Node API and no network.
import { definePlugin } from '@lumio/plugin-sdk';

interface TaskRecord {
  value_cents?: unknown;
  custom_fields?: unknown;
  [field: string]: unknown;
}

export default definePlugin({
  transformPage(records, context) {
    context.log.info('shaping tasks', { count: records.length });
    return records.map((record) => {
      const task = record as TaskRecord;
      return { ...task, value: toReais(task.value_cents), fields: collectFields(task.custom_fields) };
    });
  },
});

function toReais(cents: unknown): number | null {
  return typeof cents === 'number' && Number.isInteger(cents) ? cents / 100 : null;
}

function collectFields(list: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!Array.isArray(list)) return fields;
  for (const item of list) {
    const { name, value } = (item ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name === 'string' && typeof value === 'string') fields[name] = value;
  }
  return fields;
}
