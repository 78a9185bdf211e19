import type { ObjectDefinition } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';

import { shapeLikeListing } from './provider-record.js';

const contacts = {
  label: 'Contacts',
  description: 'People.',
  primaryKey: 'id',
  operations: {},
  recordSchema: {
    type: 'object',
    properties: {
      id: { type: 'string', description: 'Id.' },
      properties: {
        type: 'object',
        description: 'Properties.',
        properties: {
          email: { type: ['string', 'null'], description: 'E-mail.' },
          phone: { type: ['string', 'null'], description: 'Phone.' },
        },
      },
      archived: { type: 'boolean', description: 'Archived.' },
      archivedAt: { type: 'string', description: 'When archived.' },
    },
  },
} as unknown as ObjectDefinition;

describe('shapeLikeListing', () => {
  it('keeps declared fields and fills nullable ones', () => {
    const written = { id: '101', properties: { email: 'ana@example.com', hs_internal: 'x' }, archived: false, new: true };

    expect(shapeLikeListing(contacts, written)).toEqual({ id: '101', properties: { email: 'ana@example.com', phone: null }, archived: false });
  });

  it('keeps records of undeclared shape', () => {
    const open = { ...contacts, recordSchema: { type: 'object', properties: {} } } as ObjectDefinition;

    expect(shapeLikeListing(open, { anything: 1 })).toEqual({ anything: 1 });
    expect(shapeLikeListing(contacts, 'text')).toBe('text');
  });
});
