import { describe, expect, it } from 'vitest';

import {
  canonicalCommonSchema,
  canonicalSchemas,
  connectorManifestSchema,
  fieldMappingSchema,
  type SchemaDocument,
} from '../generated/schemas.js';
import { SchemaRegistry, isSchemaObject, walkSchema, type SchemaObject } from './index.js';

const DOCUMENTS: SchemaDocument[] = [
  connectorManifestSchema,
  fieldMappingSchema,
  canonicalCommonSchema,
  ...Object.values(canonicalSchemas),
];
const registry = new SchemaRegistry(DOCUMENTS as SchemaObject[]);

interface Visited {
  document: SchemaDocument;
  schema: SchemaObject;
  pointer: string;
}

function visitAll(): Visited[] {
  const visited: Visited[] = [];
  for (const document of DOCUMENTS) {
    walkSchema(document as SchemaObject, (schema, pointer) => visited.push({ document, schema, pointer }));
  }
  return visited;
}

/** Conditions (if) and constraint-only branches describe no object of their own. */
function isConditionPart(pointer: string): boolean {
  return /\/(if|then|else)$/.test(pointer) || /\/(oneOf|anyOf)\/\d+$/.test(pointer);
}

function where(visit: Visited): string {
  return `${visit.document.$id}#${visit.pointer}`;
}

describe('schema documents', () => {
  it('close every object', () => {
    for (const visit of visitAll()) {
      const { schema } = visit;
      if (schema.type !== 'object') continue;
      const isMap = isSchemaObject(schema.additionalProperties) && isSchemaObject(schema.propertyNames);
      expect(schema.additionalProperties === false || isMap, where(visit)).toBe(true);
    }
  });

  it('type every schema with properties', () => {
    for (const visit of visitAll()) {
      if ('properties' in visit.schema && !isConditionPart(visit.pointer)) {
        expect(visit.schema.type, where(visit)).toBe('object');
      }
    }
  });

  it('describe every property', () => {
    for (const visit of visitAll()) {
      const properties = visit.schema.properties;
      if (!isSchemaObject(properties) || isConditionPart(visit.pointer)) continue;

      for (const [name, property] of Object.entries(properties)) {
        const located = isSchemaObject(property)
          ? registry.dereference({ schema: property, documentId: visit.document.$id })
          : undefined;
        const description = isSchemaObject(property) && typeof property.description === 'string' ? property.description : located?.schema.description;
        const location = `${where(visit)}/properties/${name}`;
        expect(typeof description, location).toBe('string');
        expect(String(description).length, location).toBeGreaterThan(3);
      }
    }
  });

  it('require only declared properties', () => {
    const visited = visitAll();
    const byPointer = new Map(visited.map((visit) => [`${visit.document.$id}#${visit.pointer}`, visit.schema]));

    for (const visit of visited) {
      const required = visit.schema.required;
      if (!Array.isArray(required) || visit.pointer.endsWith('/if')) continue;

      // A then/oneOf branch requires properties declared by the object schema around it.
      let owner: SchemaObject | undefined = visit.schema;
      let pointer = visit.pointer;
      while (!isSchemaObject(owner?.properties) && pointer !== '') {
        pointer = pointer.slice(0, pointer.lastIndexOf('/'));
        owner = byPointer.get(`${visit.document.$id}#${pointer}`);
      }
      const declared = isSchemaObject(owner?.properties) ? Object.keys(owner.properties) : [];
      for (const name of required) expect(declared, `${where(visit)} requires ${String(name)}`).toContain(name);
    }
  });

  it('title every definition by its key', () => {
    for (const document of DOCUMENTS) {
      const defs = isSchemaObject(document.$defs) ? document.$defs : {};
      for (const [key, definition] of Object.entries(defs)) {
        expect(isSchemaObject(definition) ? definition.title : undefined, `${document.$id}#/$defs/${key}`).toBe(key);
      }
    }
  });

  it('resolve every reference', () => {
    for (const visit of visitAll()) {
      const ref = visit.schema.$ref;
      if (typeof ref !== 'string') continue;
      expect(registry.resolve(ref, visit.document.$id), `${where(visit)} -> ${ref}`).toBeDefined();
    }
  });

  it('declare draft 2020-12 and an id', () => {
    for (const document of DOCUMENTS) {
      expect(document.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(document.$id).toMatch(/^https:\/\/schemas\.lumio\.dev\/.+\.schema\.json$/);
    }
  });

  it('match canonical names and files', () => {
    const defs = fieldMappingSchema.$defs as Record<string, SchemaObject>;
    expect(Object.keys(canonicalSchemas)).toEqual(defs.CanonicalObjectName?.enum);
    for (const [name, schema] of Object.entries(canonicalSchemas)) {
      expect(schema.$id).toBe(`https://schemas.lumio.dev/canonical/${name}.schema.json`);
      expect(Object.keys(schema.properties as object), name).not.toContain('id');
      expect(Array.isArray(schema.required), name).toBe(true);
    }
  });
});
