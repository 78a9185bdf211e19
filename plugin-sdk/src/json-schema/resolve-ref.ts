import { isSchemaObject, unescapePointerToken, type SchemaObject } from './walk-schema.js';

/** A subschema together with the `$id` of the document it sits in, which relative `$ref`s resolve against. */
export interface LocatedSchema {
  schema: SchemaObject;
  documentId: string;
}

/**
 * A set of schema documents indexed by `$id`, able to follow `$ref`s between them
 * without any network or file access.
 */
export class SchemaRegistry {
  private readonly documents = new Map<string, SchemaObject>();

  constructor(documents: Iterable<SchemaObject>) {
    for (const document of documents) {
      const id = document.$id;
      if (typeof id !== 'string') {
        throw new Error('Every schema document in a SchemaRegistry needs a string $id.');
      }
      this.documents.set(id, document);
    }
  }

  /** Returns the document with this `$id`, or undefined. */
  getDocument(id: string): SchemaObject | undefined {
    return this.documents.get(id);
  }

  /**
   * Returns the absolute form of `ref` ("<document $id>#<JSON pointer>") as written in a
   * document with id `documentId`.
   */
  absoluteRef(ref: string, documentId: string): string {
    return new URL(ref, documentId).href;
  }

  /**
   * Resolves a `$ref` written in the document `documentId`. Returns undefined when the
   * target document is not registered or the pointer names nothing.
   */
  resolve(ref: string, documentId: string): LocatedSchema | undefined {
    const absolute = new URL(ref, documentId);
    const fragment = decodeURIComponent(absolute.hash.slice(1));
    absolute.hash = '';
    const document = this.documents.get(absolute.href);
    if (document === undefined) return undefined;

    let current: unknown = document;
    const tokens = fragment === '' ? [] : fragment.split('/').slice(1);
    for (const token of tokens) {
      if (!isSchemaObject(current) && !Array.isArray(current)) return undefined;
      current = (current as Record<string, unknown>)[unescapePointerToken(token)];
    }
    return isSchemaObject(current) ? { schema: current, documentId: absolute.href } : undefined;
  }

  /**
   * Follows `$ref`s until reaching a schema without one. Stops after 32 hops, which only
   * a cycle of bare references reaches.
   */
  dereference(located: LocatedSchema): LocatedSchema | undefined {
    let current: LocatedSchema | undefined = located;
    for (let hop = 0; hop < 32 && current !== undefined; hop++) {
      const ref: unknown = current.schema.$ref;
      if (typeof ref !== 'string') return current;
      current = this.resolve(ref, current.documentId);
    }
    return undefined;
  }
}
