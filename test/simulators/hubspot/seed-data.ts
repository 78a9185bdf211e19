import { LumioError } from '../../../platform/src/errors/index.js';
import { formatTimestamp, parseDatetime } from './datetime.js';
import { OBJECT_SCHEMAS, OBJECT_TYPE_NAMES } from './object-types.js';
import type { ObjectTypeName } from './object-types.js';
import { createPrng, hashLabel } from './prng.js';
import type { Prng } from './prng.js';
import type { RecordInput, RecordStore } from './record-store.js';
import {
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  DEAL_PRODUCTS,
  DEAL_STAGES,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  INDUSTRIES,
  JOB_TITLES,
  LAST_NAMES,
  LIFECYCLE_STAGES,
  LOCATIONS,
  SPECIAL_COMPANY_NAMES,
} from './seed-names.js';

export interface ObjectSeedOptions {
  /** Unarchived records, so a default list (`archived=false`) returns exactly this many. */
  count: number;
  /**
   * How many unarchived records share one exact last-modified timestamp, to exercise
   * cursor tie-breaking. Default min(300, floor(count / 10)).
   */
  tiedLastModifiedCount?: number;
  /** Archived records, added on top of `count`. Default floor(count / 100). */
  archivedCount?: number;
}

export interface HubSpotSeedOptions {
  /** PRNG seed. The same seed and counts always give byte-identical records. Default 1. */
  seed?: number;
  contacts?: number | ObjectSeedOptions;
  companies?: number | ObjectSeedOptions;
  deals?: number | ObjectSeedOptions;
  /** Creation time of the earliest record, ISO 8601. Default "2023-01-01T00:00:00.000Z". */
  startTime?: string;
  /** No generated timestamp is later than this, ISO 8601. Default "2025-06-30T00:00:00.000Z". */
  endTime?: string;
}

export interface ObjectSeedSummary {
  active: number;
  archived: number;
  /** The shared last-modified timestamp and how many records have it, or null when none were tied. */
  tiedLastModified: { value: string; count: number } | null;
  /** Lowest and highest ids given out, or null when no record was made. */
  idRange: { first: string; last: string } | null;
}

export interface SeedSummary {
  seed: number;
  objects: Record<ObjectTypeName, ObjectSeedSummary>;
}

const DEFAULT_START = '2023-01-01T00:00:00.000Z';
const DEFAULT_END = '2025-06-30T00:00:00.000Z';

interface ResolvedObjectSeed {
  count: number;
  tied: number;
  archived: number;
}

function resolveObjectSeed(type: ObjectTypeName, value: number | ObjectSeedOptions | undefined): ResolvedObjectSeed {
  const options = typeof value === 'number' ? { count: value } : (value ?? { count: 0 });
  const count = options.count;
  const tied = options.tiedLastModifiedCount ?? Math.min(300, Math.floor(count / 10));
  const archived = options.archivedCount ?? Math.floor(count / 100);

  for (const [name, number] of [['count', count], ['tiedLastModifiedCount', tied], ['archivedCount', archived]] as const) {
    if (!Number.isInteger(number) || number < 0) {
      throw new LumioError('SIMULATOR_INVALID_SEED', `The ${type} ${name} ${number} is not a non-negative integer; pass 0 or more.`, {
        status: 400,
        fault: 'caller',
      });
    }
  }
  if (tied > count) {
    throw new LumioError('SIMULATOR_INVALID_SEED', `The ${type} tiedLastModifiedCount ${tied} exceeds count ${count}; pass at most ${count}.`, {
      status: 400,
      fault: 'caller',
    });
  }
  return { count, tied, archived };
}

function requireTime(value: string, name: string): number {
  const parsed = parseDatetime(value);
  if (parsed === undefined) {
    throw new LumioError('SIMULATOR_INVALID_SEED', `The seed ${name} "${value}" is not ISO 8601; pass a value such as "2024-01-01T00:00:00.000Z".`, {
      status: 400,
      fault: 'caller',
    });
  }
  return parsed;
}

/** Lower-case ASCII letters and digits of a name, for e-mail addresses and domains. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o')
    .replace(/ß/g, 'ss')
    .replace(/ı/g, 'i')
    .replace(/[^a-z0-9]+/g, '');
}

/** Picks `size` distinct indices of [0, total) in random order. */
function sampleIndices(prng: Prng, total: number, size: number, exclude: ReadonlySet<number> = new Set()): number[] {
  const candidates: number[] = [];
  for (let index = 0; index < total; index++) {
    if (!exclude.has(index)) {
      candidates.push(index);
    }
  }
  for (let index = 0; index < size; index++) {
    const swap = index + prng.int(candidates.length - index);
    const picked = candidates[swap] as number;
    candidates[swap] = candidates[index] as number;
    candidates[index] = picked;
  }
  return candidates.slice(0, size);
}

function digits(prng: Prng, length: number): string {
  let text = '';
  for (let index = 0; index < length; index++) {
    text += String(prng.int(10));
  }
  return text;
}

function phoneNumber(prng: Prng): string {
  switch (prng.int(3)) {
    case 0:
      return `+351 9${prng.pick(['1', '2', '3', '6'])}${digits(prng, 1)} ${digits(prng, 3)} ${digits(prng, 3)}`;
    case 1:
      return `+55 11 9${digits(prng, 4)}-${digits(prng, 4)}`;
    default:
      return `+1 555-01${digits(prng, 2)}`;
  }
}

function companyName(prng: Prng): string {
  if (prng.chance(0.05)) {
    return prng.pick(SPECIAL_COMPANY_NAMES);
  }
  const suffix = prng.pick(COMPANY_SUFFIXES);
  const name = `${prng.pick(COMPANY_PREFIXES)} ${prng.pick(LAST_NAMES)}`;
  return suffix === '' ? name : `${name} ${suffix}`;
}

type PropertyMaker = (prng: Prng, id: string, createdMs: number, endMs: number) => Record<string, string | null>;

const makeContact: PropertyMaker = (prng, id) => {
  const firstname = prng.pick(FIRST_NAMES);
  const lastname = prng.pick(LAST_NAMES);
  const [city, state, country] = prng.pick(LOCATIONS);
  return {
    firstname,
    lastname,
    email: `${slugify(firstname)}.${slugify(lastname)}.${id}@${prng.pick(EMAIL_DOMAINS)}`,
    phone: prng.chance(0.8) ? phoneNumber(prng) : null,
    company: prng.chance(0.9) ? companyName(prng) : null,
    jobtitle: prng.chance(0.85) ? prng.pick(JOB_TITLES) : null,
    lifecyclestage: prng.pick(LIFECYCLE_STAGES),
    city,
    state,
    country,
  };
};

const makeCompany: PropertyMaker = (prng, id) => {
  const name = companyName(prng);
  const [city, , country] = prng.pick(LOCATIONS);
  return {
    name,
    domain: `${slugify(name) || 'empresa'}${id}.example`,
    city,
    country,
    industry: prng.pick(INDUSTRIES),
    phone: prng.chance(0.85) ? phoneNumber(prng) : null,
    numberofemployees: String(prng.between(1, 5000)),
    annualrevenue: prng.chance(0.7) ? String(prng.between(50, 500_000) * 100) : null,
  };
};

const makeDeal: PropertyMaker = (prng, _id, createdMs, endMs) => {
  const closeMs = Math.min(endMs, createdMs + prng.between(0, 120) * 86_400_000);
  const cents = prng.between(10_000, 50_000_000);
  return {
    dealname: `${companyName(prng)} – ${prng.pick(DEAL_PRODUCTS)}`,
    amount: cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2),
    dealstage: prng.pick(DEAL_STAGES),
    pipeline: 'default',
    closedate: formatTimestamp(closeMs),
  };
};

const MAKERS: Record<ObjectTypeName, PropertyMaker> = { contacts: makeContact, companies: makeCompany, deals: makeDeal };

interface GeneratedObjects {
  inputs: RecordInput[];
  summary: ObjectSeedSummary;
}

function generateObjects(type: ObjectTypeName, seed: number, resolved: ResolvedObjectSeed, startMs: number, endMs: number): GeneratedObjects {
  const prng = createPrng((seed ^ hashLabel(type)) >>> 0);
  const total = resolved.count + resolved.archived;
  const lastModifiedProperty = OBJECT_SCHEMAS[type].lastModifiedProperty;

  // Records are created in id order over the first 90% of the time span and may be
  // modified up to the end. The tied instant is later than every creation time.
  const spanMs = endMs - startMs;
  const creationSpanMs = Math.floor(spanMs * 0.9);
  const tiedMs = endMs - Math.floor(spanMs * 0.05);

  const archivedIndices = new Set(sampleIndices(prng, total, resolved.archived));
  const tiedIndices = new Set(sampleIndices(prng, total, resolved.tied, archivedIndices));

  const inputs: RecordInput[] = [];
  let idNumber = 0;
  for (let index = 0; index < total; index++) {
    // Ids grow with gaps of 1 to 3, as HubSpot ids are not consecutive.
    idNumber += prng.between(1, 3);
    const id = String(idNumber);

    const slotMs = total > 0 ? creationSpanMs / total : 0;
    const createdMs = startMs + Math.floor(index * slotMs + prng.next() * slotMs * 0.5);
    const modifiedMs = tiedIndices.has(index) ? tiedMs : createdMs + Math.floor(prng.next() * (endMs - createdMs));
    const archived = archivedIndices.has(index);

    const properties: Record<string, string | null> = {
      ...MAKERS[type](prng, id, createdMs, endMs),
      createdate: formatTimestamp(createdMs),
      [lastModifiedProperty]: formatTimestamp(modifiedMs),
    };

    const input: RecordInput = { id, properties, archived };
    if (archived) {
      input.archivedAt = Math.min(endMs, modifiedMs + prng.between(1, 30) * 86_400_000);
    }
    inputs.push(input);
  }

  const first = inputs[0];
  const last = inputs[inputs.length - 1];
  return {
    inputs,
    summary: {
      active: resolved.count,
      archived: resolved.archived,
      tiedLastModified: resolved.tied > 0 ? { value: formatTimestamp(tiedMs), count: resolved.tied } : null,
      idRange: first?.id !== undefined && last?.id !== undefined ? { first: first.id, last: last.id } : null,
    },
  };
}

/**
 * Generates seeded records per object type without touching a store. Each object type
 * draws from its own PRNG stream, so adding companies does not change the contacts.
 */
export function generateSeedRecords(options: HubSpotSeedOptions = {}): {
  records: Record<ObjectTypeName, RecordInput[]>;
  summary: SeedSummary;
} {
  const seed = options.seed ?? 1;
  const startMs = requireTime(options.startTime ?? DEFAULT_START, 'startTime');
  const endMs = requireTime(options.endTime ?? DEFAULT_END, 'endTime');

  if (!Number.isInteger(seed)) {
    throw new LumioError('SIMULATOR_INVALID_SEED', `The seed ${seed} is not an integer; pass an integer such as 42.`, {
      status: 400,
      fault: 'caller',
    });
  }
  if (endMs - startMs < 30 * 86_400_000) {
    throw new LumioError('SIMULATOR_INVALID_SEED', 'The seed endTime must be at least 30 days after startTime; widen the range.', {
      status: 400,
      fault: 'caller',
    });
  }

  const records = {} as Record<ObjectTypeName, RecordInput[]>;
  const objects = {} as Record<ObjectTypeName, ObjectSeedSummary>;
  for (const type of OBJECT_TYPE_NAMES) {
    const generated = generateObjects(type, seed, resolveObjectSeed(type, options[type]), startMs, endMs);
    records[type] = generated.inputs;
    objects[type] = generated.summary;
  }

  return { records, summary: { seed, objects } };
}

/** Clears the store and fills it with seeded records. */
export function seedStore(store: RecordStore, options: HubSpotSeedOptions = {}): SeedSummary {
  const { records, summary } = generateSeedRecords(options);

  store.clear();
  for (const type of OBJECT_TYPE_NAMES) {
    for (const input of records[type]) {
      store.insert(type, input);
    }
  }
  return summary;
}
