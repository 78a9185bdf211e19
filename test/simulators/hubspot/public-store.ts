import type { ObjectTypeName, PropertyType } from './object-types.js';
import type { PropertyInputValue, RecordStore, StoredRecord } from './record-store.js';

/** A record as tests see it: a copy, so changing it does not change the simulator. */
export interface HubSpotRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

export interface AddRecordOptions {
  /** Numeric id string. The next free id is used when omitted. */
  id?: string;
  archived?: boolean;
  /** Epoch milliseconds or ISO 8601. Defaults to `properties.createdate`, then the clock. */
  createdAt?: string | number;
  /** Epoch milliseconds or ISO 8601. Defaults to the last-modified property, then `createdAt`. */
  updatedAt?: string | number;
}

/** Which records `list` and `count` include: unarchived (default), archived, or both. */
export interface RecordFilterOptions {
  archived?: boolean | 'all';
}

/**
 * Direct access to the simulated CRM for tests and the demo. Writes here skip HTTP
 * validation: unknown property names become text properties, and values are stored as
 * text. Methods that name a missing id throw a LumioError with code SIMULATOR_RECORD_NOT_FOUND.
 */
export interface HubSpotStore {
  add(type: ObjectTypeName, properties: Record<string, PropertyInputValue>, options?: AddRecordOptions): HubSpotRecord;
  /** Merges properties and sets the last-modified property and `updatedAt` to the clock's time. */
  update(type: ObjectTypeName, id: string, properties: Record<string, PropertyInputValue>): HubSpotRecord;
  archive(type: ObjectTypeName, id: string): HubSpotRecord;
  unarchive(type: ObjectTypeName, id: string): HubSpotRecord;
  /** Removes a record for good, like HubSpot's GDPR delete, and returns whether it existed. */
  delete(type: ObjectTypeName, id: string): boolean;
  get(type: ObjectTypeName, id: string): HubSpotRecord | undefined;
  /** Records in ascending id order. */
  list(type: ObjectTypeName, options?: RecordFilterOptions): HubSpotRecord[];
  count(type: ObjectTypeName, options?: RecordFilterOptions): number;
  /** Adds a custom property, so HTTP writes and search filters accept it. */
  defineProperty(type: ObjectTypeName, name: string, propertyType?: PropertyType): void;
}

export function toPublicRecord(record: StoredRecord): HubSpotRecord {
  const copy: HubSpotRecord = {
    id: record.id,
    properties: { ...record.properties },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: record.archived,
  };
  if (record.archivedAt !== undefined) {
    copy.archivedAt = record.archivedAt;
  }
  return copy;
}

function included(record: StoredRecord, options: RecordFilterOptions | undefined): boolean {
  const archived = options?.archived ?? false;
  return archived === 'all' || record.archived === archived;
}

export function createPublicStore(store: RecordStore): HubSpotStore {
  return {
    add: (type, properties, options = {}) => toPublicRecord(store.insert(type, { ...options, properties })),
    update: (type, id, properties) => toPublicRecord(store.update(type, id, properties)),
    archive: (type, id) => toPublicRecord(store.archive(type, id)),
    unarchive: (type, id) => toPublicRecord(store.unarchive(type, id)),
    delete: (type, id) => store.remove(type, id),
    get: (type, id) => {
      const record = store.get(type, id);
      return record === undefined ? undefined : toPublicRecord(record);
    },
    list: (type, options) => store.ordered(type).filter((record) => included(record, options)).map(toPublicRecord),
    count: (type, options) => store.ordered(type).reduce((total, record) => total + (included(record, options) ? 1 : 0), 0),
    defineProperty: (type, name, propertyType) => store.defineProperty(type, name, propertyType),
  };
}
