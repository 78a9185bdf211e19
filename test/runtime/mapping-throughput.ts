// Measures applyMapping throughput for a 100-field mapping over 25,000 HubSpot-like
// records, in pages of 100 as a sync would. Run: npx tsx test/runtime/mapping-throughput.ts
import { applyMapping, compileMapping } from '../../platform/src/mapping/index.js';
import type { FieldRule, Transform } from '../../platform/src/runtime/manifest-types.js';

const RECORD_COUNT = 25_000;
const PAGE_SIZE = 100;
const ROUNDS = 5;

function buildRules(): FieldRule[] {
  const rules: FieldRule[] = [];
  const add = (kind: string, count: number, transforms: (index: number) => Transform[], target = (index: number) => `${kind}${index}`) => {
    for (let index = 0; index < count; index += 1) {
      rules.push({ target: target(index), source: `properties.${kind}${index}`, transforms: transforms(index) });
    }
  };
  add('text', 40, () => [{ type: 'trim' }]);
  add('amount', 20, () => [{ type: 'convert', to: 'number' }]);
  add('date', 10, () => [{ type: 'date', from: 'iso8601', to: 'epochMilliseconds' }]);
  add('city', 10, () => [], (index) => `address${index}.city`);
  add('label', 10, () => [{ type: 'case', to: 'lower' }]);
  add('status', 5, () => [{ type: 'valueMap', map: { open: 'active', closed: 'inactive' }, otherwise: 'null' }]);
  for (let index = 0; index < 5; index += 1) {
    rules.push({ target: `full${index}`, sources: [`properties.first${index}`, `properties.last${index}`], transforms: [{ type: 'concat' }] });
  }
  return rules;
}

function buildRecord(id: number): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (let index = 0; index < 40; index += 1) properties[`text${index}`] = `  value ${id}-${index} `;
  for (let index = 0; index < 20; index += 1) properties[`amount${index}`] = String((id * 31 + index) / 100);
  for (let index = 0; index < 10; index += 1) properties[`date${index}`] = new Date(1_700_000_000_000 + id * 1000 + index).toISOString();
  for (let index = 0; index < 10; index += 1) properties[`city${index}`] = `Cidade ${index}`;
  for (let index = 0; index < 10; index += 1) properties[`label${index}`] = `ÁGUA ${index}`;
  for (let index = 0; index < 5; index += 1) properties[`status${index}`] = id % 2 === 0 ? 'open' : 'closed';
  for (let index = 0; index < 5; index += 1) {
    properties[`first${index}`] = 'Ana';
    properties[`last${index}`] = 'Souza';
  }
  return { id: String(id), properties };
}

const compiled = compileMapping({ object: 'contacts', canonicalObject: 'contact', fields: buildRules() });
const records = Array.from({ length: RECORD_COUNT }, (_, id) => buildRecord(id));

let best = Number.POSITIVE_INFINITY;
let errors = 0;
for (let round = 0; round < ROUNDS; round += 1) {
  const started = performance.now();
  for (let offset = 0; offset < records.length; offset += PAGE_SIZE) {
    const results = await applyMapping(compiled, records.slice(offset, offset + PAGE_SIZE));
    for (const result of results) errors += result.errors.length;
  }
  best = Math.min(best, performance.now() - started);
}

const perSecond = Math.round(RECORD_COUNT / (best / 1000));
process.stdout.write(
  `${compiled.rules.length} fields, ${RECORD_COUNT} records: best of ${ROUNDS} rounds ${best.toFixed(0)} ms, ${perSecond} records/s, ${errors} field errors\n`,
);
