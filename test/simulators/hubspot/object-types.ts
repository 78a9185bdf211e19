/** The CRM object types the simulator serves. */
export type ObjectTypeName = 'contacts' | 'companies' | 'deals';

export const OBJECT_TYPE_NAMES: readonly ObjectTypeName[] = ['contacts', 'companies', 'deals'];

/**
 * HubSpot property types that change how the simulator compares values. Every value is
 * stored and returned as a string, as HubSpot does.
 */
export type PropertyType = 'string' | 'enumeration' | 'number' | 'datetime';

export interface ObjectSchema {
  name: ObjectTypeName;
  /** Upper-case name HubSpot uses in messages such as "Could not get some CONTACT objects". */
  messageLabel: string;
  /** Property that contains the last-modified time: `lastmodifieddate` for contacts, `hs_lastmodifieddate` otherwise. */
  lastModifiedProperty: string;
  /** Returned when a request names no properties (HubSpot's documented defaults per object). */
  defaultProperties: readonly string[];
  /** Returned in addition to the properties a request names. */
  alwaysReturnedProperties: readonly string[];
  /** Properties searched by the free-text `query` of a search request. */
  queryProperties: readonly string[];
  /** Properties the API refuses to set because HubSpot calculates them. */
  readOnlyProperties: readonly string[];
  /** Unique-value properties usable as `idProperty` (get, update, upsert). */
  uniqueProperties: readonly string[];
  properties: Readonly<Record<string, PropertyType>>;
}

const contacts: ObjectSchema = {
  name: 'contacts',
  messageLabel: 'CONTACT',
  lastModifiedProperty: 'lastmodifieddate',
  defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  alwaysReturnedProperties: ['createdate', 'hs_object_id', 'lastmodifieddate'],
  queryProperties: ['firstname', 'lastname', 'email', 'phone', 'company'],
  readOnlyProperties: ['hs_object_id', 'lastmodifieddate'],
  uniqueProperties: ['email'],
  properties: {
    firstname: 'string',
    lastname: 'string',
    email: 'string',
    phone: 'string',
    company: 'string',
    jobtitle: 'string',
    lifecyclestage: 'enumeration',
    city: 'string',
    state: 'string',
    country: 'string',
    createdate: 'datetime',
    lastmodifieddate: 'datetime',
    hs_object_id: 'number',
  },
};

const companies: ObjectSchema = {
  name: 'companies',
  messageLabel: 'COMPANY',
  lastModifiedProperty: 'hs_lastmodifieddate',
  defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  alwaysReturnedProperties: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  queryProperties: ['name', 'domain', 'phone'],
  readOnlyProperties: ['hs_object_id', 'hs_lastmodifieddate'],
  uniqueProperties: [],
  properties: {
    name: 'string',
    domain: 'string',
    city: 'string',
    country: 'string',
    industry: 'enumeration',
    phone: 'string',
    numberofemployees: 'number',
    annualrevenue: 'number',
    createdate: 'datetime',
    hs_lastmodifieddate: 'datetime',
    hs_object_id: 'number',
  },
};

const deals: ObjectSchema = {
  name: 'deals',
  messageLabel: 'DEAL',
  lastModifiedProperty: 'hs_lastmodifieddate',
  defaultProperties: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
  alwaysReturnedProperties: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  queryProperties: ['dealname'],
  readOnlyProperties: ['hs_object_id', 'hs_lastmodifieddate'],
  uniqueProperties: [],
  properties: {
    dealname: 'string',
    amount: 'number',
    dealstage: 'enumeration',
    pipeline: 'enumeration',
    closedate: 'datetime',
    createdate: 'datetime',
    hs_lastmodifieddate: 'datetime',
    hs_object_id: 'number',
  },
};

export const OBJECT_SCHEMAS: Readonly<Record<ObjectTypeName, ObjectSchema>> = { contacts, companies, deals };

// HubSpot accepts the plural name, the singular name and the object type id in paths.
const PATH_ALIASES: Readonly<Record<string, ObjectTypeName>> = {
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  companies: 'companies',
  company: 'companies',
  '0-2': 'companies',
  deals: 'deals',
  deal: 'deals',
  '0-3': 'deals',
};

/** Resolves a path segment such as "contacts", "contact" or "0-1", or returns undefined when unknown. */
export function resolveObjectType(segment: string): ObjectTypeName | undefined {
  return PATH_ALIASES[segment.toLowerCase()];
}

export function isObjectTypeName(value: unknown): value is ObjectTypeName {
  return typeof value === 'string' && (OBJECT_TYPE_NAMES as readonly string[]).includes(value);
}
