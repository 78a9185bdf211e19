import { LumioError } from '../../../platform/src/errors/index.js';
import { formatTimestamp, parseDatetime } from './datetime.js';
import { OBJECT_SCHEMAS, OBJECT_TYPE_NAMES } from './object-types.js';
import type { ObjectSchema, ObjectTypeName, PropertyType } from './object-types.js';

/** A record as the store keeps it. Mutate only through `RecordStore`, which clears the caches. */
export interface StoredRecord {
  id: string;
  idNumber: number;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt: string | undefined;
  /** Serialized JSON of this record per property projection key, cleared on every change. */
  fragments: Map<string, string>;
  /** Parsed numbers of number and datetime properties, for filters and sorts. */
  numbers: Map<string, number | null>;
}

/** Input accepted by `RecordStore.insert`. Number and boolean property values are stored as text. */
export interface RecordInput {
  properties: Readonly<Record<string, PropertyInputValue>>;
  /** Numeric id string. The next free id is used when omitted. */
  id?: string;
  archived?: boolean;
  /** Epoch milliseconds or ISO 8601. Defaults to the `createdate` property, then the clock. */
  createdAt?: string | number;
  /** Epoch milliseconds or ISO 8601. Defaults to the last-modified property, then `createdAt`. */
  updatedAt?: string | number;
  archivedAt?: string | number;
}

export type PropertyInputValue = string | number | boolean | null | undefined;

interface ObjectTable {
  schema: ObjectSchema;
  records: Map<string, StoredRecord>;
  /** Every record, archived or not, in ascending numeric id order. */
  ordered: StoredRecord[];
  /** Properties added at run time (not in the built-in schema), with their type. */
  customProperties: Map<string, PropertyType>;
  /** Unique property name to (lower-case value to unarchived record). */
  uniqueIndex: Map<string, Map<string, StoredRecord>>;
  nextId: number;
  /** Change counter, incremented on every change so search caches can tell stale results. */
  version: number;
}

const NUMERIC_ID = /^[1-9]\d{0,15}$/;

export function isNumericId(id: string): boolean {
  return NUMERIC_ID.test(id);
}

function toStoredValue(value: PropertyInputValue): string | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  return String(value);
}

const CANONICAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function toTimestamp(value: string | number, field: string): string {
  // Seeded data is already canonical, so skipping the parse speeds up seeding.
  if (typeof value === 'string' && CANONICAL_TIMESTAMP.test(value)) {
    return value;
  }
  const epochMs = parseDatetime(value);
  if (epochMs === undefined) {
    throw new LumioError('SIMULATOR_INVALID_TIMESTAMP', `The ${field} value "${value}" is not epoch milliseconds or ISO 8601; pass one of those.`, {
      status: 400,
      fault: 'caller',
    });
  }
  return formatTimestamp(epochMs);
}

/**
 * The simulator's in-memory CRM: one table per object type, records kept in numeric id
 * order so list pages are a binary search and a slice.
 */
export class RecordStore {
  private readonly tables = new Map<ObjectTypeName, ObjectTable>();

  constructor(
    private readonly now: () => number,
    extraUniqueProperties: Partial<Record<ObjectTypeName, readonly string[]>> = {},
  ) {
    for (const name of OBJECT_TYPE_NAMES) {
      const schema = OBJECT_SCHEMAS[name];
      const uniqueNames = [...schema.uniqueProperties, ...(extraUniqueProperties[name] ?? [])];
      this.tables.set(name, {
        schema,
        records: new Map(),
        ordered: [],
        customProperties: new Map(),
        uniqueIndex: new Map(uniqueNames.map((property) => [property, new Map()])),
        nextId: 1,
        version: 0,
      });
    }
  }

  schema(type: ObjectTypeName): ObjectSchema {
    return this.table(type).schema;
  }

  version(type: ObjectTypeName): number {
    return this.table(type).version;
  }

  /** Type of a property, or undefined when the object type has no such property. */
  propertyType(type: ObjectTypeName, property: string): PropertyType | undefined {
    const table = this.table(type);
    return table.schema.properties[property] ?? table.customProperties.get(property);
  }

  /** Adds a property to an object type at run time, like a custom property in a HubSpot account. */
  defineProperty(type: ObjectTypeName, property: string, propertyType: PropertyType = 'string'): void {
    const table = this.table(type);
    if (table.schema.properties[property] !== undefined) {
      return;
    }
    table.customProperties.set(property, propertyType);
  }

  isUniqueProperty(type: ObjectTypeName, property: string): boolean {
    return this.table(type).uniqueIndex.has(property);
  }

  /** Unique-value properties of an object type: the built-in ones plus those given to the constructor. */
  uniquePropertyNames(type: ObjectTypeName): string[] {
    return [...this.table(type).uniqueIndex.keys()];
  }

  ordered(type: ObjectTypeName): readonly StoredRecord[] {
    return this.table(type).ordered;
  }

  get(type: ObjectTypeName, id: string): StoredRecord | undefined {
    return this.table(type).records.get(id);
  }

  /** Finds an unarchived record by a unique property (compared case-insensitively) or by `hs_object_id`. */
  findByProperty(type: ObjectTypeName, property: string, value: string): StoredRecord | undefined {
    if (property === 'hs_object_id' || property === 'id') {
      return this.get(type, value);
    }
    return this.table(type).uniqueIndex.get(property)?.get(value.toLowerCase());
  }

  /** Index of the first record whose numeric id is at least `idNumber`. */
  lowerBound(type: ObjectTypeName, idNumber: number): number {
    const ordered = this.table(type).ordered;
    let low = 0;
    let high = ordered.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((ordered[middle] as StoredRecord).idNumber < idNumber) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  insert(type: ObjectTypeName, input: RecordInput): StoredRecord {
    const table = this.table(type);
    const id = input.id ?? String(table.nextId);

    if (!isNumericId(id)) {
      throw new LumioError('SIMULATOR_INVALID_ID', `The record id "${id}" is not a positive integer string; pass digits such as "1024".`, {
        status: 400,
        fault: 'caller',
      });
    }
    if (table.records.has(id)) {
      throw new LumioError('SIMULATOR_DUPLICATE_ID', `A ${type} record with id ${id} already exists; pass another id or omit it.`, {
        status: 409,
        fault: 'caller',
      });
    }

    const properties: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(input.properties)) {
      this.defineIfUnknown(table, name);
      properties[name] = this.toStoredValue(table, name, value);
    }

    const lastModified = table.schema.lastModifiedProperty;
    const createdAt =
      input.createdAt !== undefined
        ? toTimestamp(input.createdAt, 'createdAt')
        : properties.createdate
          ? toTimestamp(properties.createdate, 'createdate')
          : formatTimestamp(this.now());
    const updatedAt =
      input.updatedAt !== undefined
        ? toTimestamp(input.updatedAt, 'updatedAt')
        : properties[lastModified]
          ? toTimestamp(properties[lastModified], lastModified)
          : createdAt;

    properties.createdate = createdAt;
    properties[lastModified] = updatedAt;
    properties.hs_object_id = id;

    const archived = input.archived ?? false;
    const record: StoredRecord = {
      id,
      idNumber: Number(id),
      properties,
      createdAt,
      updatedAt,
      archived,
      archivedAt: archived ? toTimestamp(input.archivedAt ?? updatedAt, 'archivedAt') : undefined,
      fragments: new Map(),
      numbers: new Map(),
    };

    if (!archived) {
      this.assertUniqueValues(table, record, properties);
      this.indexUniqueValues(table, record);
    }

    table.records.set(id, record);
    this.insertOrdered(table, record);
    table.nextId = Math.max(table.nextId, record.idNumber + 1);
    table.version++;
    return record;
  }

  /**
   * Merges property values into a record and sets its last-modified property and
   * `updatedAt` to the clock's time. An empty string or null clears a value.
   */
  update(type: ObjectTypeName, id: string, changes: Readonly<Record<string, PropertyInputValue>>): StoredRecord {
    const table = this.table(type);
    const record = this.require(table, id);

    const next: Record<string, string | null> = { ...record.properties };
    for (const [name, value] of Object.entries(changes)) {
      this.defineIfUnknown(table, name);
      next[name] = this.toStoredValue(table, name, value);
    }
    const createdAt = next.createdate ? toTimestamp(next.createdate, 'createdate') : record.createdAt;

    if (!record.archived) {
      this.assertUniqueValues(table, record, next);
      this.unindexUniqueValues(table, record);
    }

    const modifiedAt = formatTimestamp(this.now());
    next[table.schema.lastModifiedProperty] = modifiedAt;
    next.hs_object_id = record.id;
    next.createdate = createdAt;
    record.createdAt = createdAt;
    record.properties = next;
    record.updatedAt = modifiedAt;

    if (!record.archived) {
      this.indexUniqueValues(table, record);
    }
    this.changed(table, record);
    return record;
  }

  /** Archives a record (HubSpot's soft delete) and sets `archivedAt` to the clock's time. */
  archive(type: ObjectTypeName, id: string): StoredRecord {
    const table = this.table(type);
    const record = this.require(table, id);
    if (record.archived) {
      return record;
    }

    this.unindexUniqueValues(table, record);
    record.archived = true;
    record.archivedAt = formatTimestamp(this.now());
    this.changed(table, record);
    return record;
  }

  unarchive(type: ObjectTypeName, id: string): StoredRecord {
    const table = this.table(type);
    const record = this.require(table, id);
    if (!record.archived) {
      return record;
    }

    this.assertUniqueValues(table, record, record.properties);
    record.archived = false;
    record.archivedAt = undefined;
    this.indexUniqueValues(table, record);
    this.changed(table, record);
    return record;
  }

  /** Removes a record completely, like HubSpot's GDPR delete, and returns whether it existed. */
  remove(type: ObjectTypeName, id: string): boolean {
    const table = this.table(type);
    const record = table.records.get(id);
    if (record === undefined) {
      return false;
    }

    this.unindexUniqueValues(table, record);
    table.records.delete(id);
    const index = this.lowerBound(type, record.idNumber);
    table.ordered.splice(index, 1);
    table.version++;
    return true;
  }

  clear(): void {
    for (const table of this.tables.values()) {
      table.records.clear();
      table.ordered = [];
      table.customProperties.clear();
      for (const index of table.uniqueIndex.values()) {
        index.clear();
      }
      table.nextId = 1;
      table.version++;
    }
  }

  /** Returns the parsed number of a number or datetime property (cached), or null when unset or unparsable. */
  numberOf(record: StoredRecord, property: string, propertyType: PropertyType): number | null {
    const cached = record.numbers.get(property);
    if (cached !== undefined) {
      return cached;
    }

    const text = record.properties[property];
    let parsed: number | null = null;
    if (text !== null && text !== undefined) {
      if (propertyType === 'datetime') {
        parsed = parseDatetime(text) ?? null;
      } else {
        const value = Number(text);
        parsed = Number.isFinite(value) ? value : null;
      }
    }

    record.numbers.set(property, parsed);
    return parsed;
  }

  private table(type: ObjectTypeName): ObjectTable {
    const table = this.tables.get(type);
    if (table === undefined) {
      throw new LumioError('SIMULATOR_UNKNOWN_OBJECT_TYPE', `The object type "${String(type)}" is not simulated; use contacts, companies or deals.`, {
        status: 400,
        fault: 'caller',
      });
    }
    return table;
  }

  private require(table: ObjectTable, id: string): StoredRecord {
    const record = table.records.get(id);
    if (record === undefined) {
      throw new LumioError('SIMULATOR_RECORD_NOT_FOUND', `No ${table.schema.name} record has id ${id}; check the id or add the record first.`, {
        status: 404,
        fault: 'caller',
      });
    }
    return record;
  }

  /** Stores a value as text; datetime values that parse are normalized to ISO 8601, as HubSpot returns them. */
  private toStoredValue(table: ObjectTable, property: string, value: PropertyInputValue): string | null {
    const text = toStoredValue(value);
    const type = table.schema.properties[property] ?? table.customProperties.get(property);
    if (text === null || type !== 'datetime' || CANONICAL_TIMESTAMP.test(text)) {
      return text;
    }
    const epochMs = parseDatetime(text);
    return epochMs === undefined ? text : formatTimestamp(epochMs);
  }

  private defineIfUnknown(table: ObjectTable, property: string): void {
    if (table.schema.properties[property] === undefined && !table.customProperties.has(property)) {
      table.customProperties.set(property, 'string');
    }
  }

  private changed(table: ObjectTable, record: StoredRecord): void {
    record.fragments.clear();
    record.numbers.clear();
    table.version++;
  }

  private insertOrdered(table: ObjectTable, record: StoredRecord): void {
    const last = table.ordered[table.ordered.length - 1];
    if (last === undefined || last.idNumber < record.idNumber) {
      table.ordered.push(record);
      return;
    }
    const index = this.lowerBound(table.schema.name, record.idNumber);
    table.ordered.splice(index, 0, record);
  }

  private assertUniqueValues(table: ObjectTable, record: StoredRecord, properties: Record<string, string | null>): void {
    for (const [property, index] of table.uniqueIndex) {
      const value = properties[property];
      if (value === null || value === undefined) {
        continue;
      }
      const holder = index.get(value.toLowerCase());
      if (holder !== undefined && holder !== record) {
        throw new UniqueValueConflict(table.schema, property, value, holder.id);
      }
    }
  }

  private indexUniqueValues(table: ObjectTable, record: StoredRecord): void {
    for (const [property, index] of table.uniqueIndex) {
      const value = record.properties[property];
      if (value !== null && value !== undefined) {
        index.set(value.toLowerCase(), record);
      }
    }
  }

  private unindexUniqueValues(table: ObjectTable, record: StoredRecord): void {
    for (const [property, index] of table.uniqueIndex) {
      const value = record.properties[property];
      if (value !== null && value !== undefined && index.get(value.toLowerCase()) === record) {
        index.delete(value.toLowerCase());
      }
    }
  }
}

/** Raised when a write would give a unique property a value another unarchived record has. */
export class UniqueValueConflict extends LumioError {
  constructor(
    readonly schema: ObjectSchema,
    readonly property: string,
    readonly value: string,
    readonly existingId: string,
  ) {
    super(
      'SIMULATOR_UNIQUE_VALUE_CONFLICT',
      `The ${schema.name} record ${existingId} already has ${property} "${value}"; use another value or update that record.`,
      { status: 409, fault: 'caller', details: { property, existingId } },
    );
  }
}
