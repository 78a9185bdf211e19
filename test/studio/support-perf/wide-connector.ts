import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ConnectorManifest, FieldRule } from '@lumio/plugin-sdk';

import { sendJson } from '../../simulators/shared/index.js';
import type { CanvasExpectation } from './open-probe.js';
import { PROVIDER_FIELDS, wideRecord, wideRecordSchema } from './wide-records.js';

export const WIDE_CONNECTOR_ID = 'wide-crm';
export const WIDE_OBJECT = 'people';
export const WIDE_TOKEN = 'wide-crm-token';

/** Fields of the canonical contact schema, as the catalogue lists them (the `customFields` map included). */
export const CONTACT_CATALOGUE_FIELDS = 28;
/** `customFields.<name>` targets in the default mapping; with the contact's own fields they make 80 Lumio fields. */
export const CUSTOM_FIELD_TARGETS = 52;
export const LUMIO_FIELDS = CONTACT_CATALOGUE_FIELDS + CUSTOM_FIELD_TARGETS;

/** The link on the connection page that opens the mapping canvas. */
export const MAPPING_LINK = `[data-testid=mapping-link-${WIDE_OBJECT}]`;

/** The canvas is interactive once it shows every field and the first provider field's handle takes a pointer. */
export const CANVAS_EXPECTATION: CanvasExpectation = { providerNodes: PROVIDER_FIELDS, canonicalNodes: LUMIO_FIELDS, probeNodeId: 'provider:profile.fullName' };

/**
 * Returns the default mapping's rules: four contact fields (the e-mail through two
 * transforms) and 52 custom fields read from the marketing, sales and support properties.
 * Custom fields are how a mapping writes provider fields that the canonical contact lacks.
 */
export function wideMappingFields(): FieldRule[] {
  const fields: FieldRule[] = [
    { target: 'fullName', source: 'profile.fullName' },
    { target: 'email', source: 'profile.email', transforms: [{ type: 'trim' }, { type: 'case', to: 'lower' }] },
    { target: 'createdAt', source: 'createdAt' },
    { target: 'updatedAt', source: 'updatedAt' },
  ];
  const groups = [
    { group: 'marketing', count: 20 },
    { group: 'sales', count: 20 },
    { group: 'support', count: 12 },
  ];
  for (const { group, count } of groups) {
    for (let index = 1; index <= count; index += 1) {
      const number = String(index).padStart(2, '0');
      fields.push({ target: `customFields.${group}Attribute${number}`, source: `${group}.attribute${number}` });
    }
  }
  return fields;
}

/**
 * Builds the manifest of a CRM whose people have 300 fields, mapped to Lumio contacts: bearer
 * auth, no connection test, and one list request without pagination, which
 * `startWideProvider` serves.
 */
export function wideManifest(): ConnectorManifest {
  return {
    manifestVersion: 1,
    id: WIDE_CONNECTOR_ID,
    name: 'Wide CRM',
    version: '1.0.0',
    category: 'crm',
    description: 'Fixture CRM with 300 fields per person, for the mapping canvas performance test.',
    connection: { configSchema: { type: 'object', properties: {} }, baseUrl: 'https://wide-crm.invalid' },
    auth: [{ type: 'bearer', credentialField: 'accessToken' }],
    objects: {
      [WIDE_OBJECT]: {
        label: 'People',
        description: 'People of the CRM, with every property of the account.',
        recordSchema: wideRecordSchema(),
        primaryKey: 'id',
        operations: { list: { method: 'GET', path: '/v1/people', recordSelector: { path: 'data' } } },
      },
    },
    mappings: [{ object: WIDE_OBJECT, canonicalObject: 'contact', fields: wideMappingFields() }],
  };
}

export interface WideProvider {
  url: string;
  /** Number of list requests served so far. */
  listRequests(): number;
  close(): Promise<void>;
}

/** Serves `GET /v1/people` on loopback: one page of `records` wide records, for the bearer token `WIDE_TOKEN`. */
export async function startWideProvider(records: number): Promise<WideProvider> {
  const page = JSON.stringify({ data: Array.from({ length: records }, (_, index) => wideRecord(index + 1)) });
  let served = 0;

  const server: Server = createServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${WIDE_TOKEN}`) return sendJson(response, 401, { message: 'Missing or invalid bearer token.' });
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/v1/people') return sendJson(response, 404, { message: 'Not found.' });
    served += 1;
    sendJson(response, 200, page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    listRequests: () => served,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The platform's HTTP client keeps connections alive; closing them lets close() return.
        server.closeAllConnections();
      }),
  };
}
