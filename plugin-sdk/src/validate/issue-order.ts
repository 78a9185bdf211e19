import type { ManifestIssue } from './issue.js';
import { childPointer } from './json-pointer.js';

/**
 * Sorts issues by where their pointer sits in the document (depth-first, in key order),
 * so that output reads top to bottom like the file. Issues at the same place keep their order.
 * A pointer to a value that does not exist sorts with its nearest existing ancestor.
 */
export function sortByDocumentOrder(issues: ManifestIssue[], document: unknown): ManifestIssue[] {
  const positions = new Map<string, number>();
  const visit = (value: unknown, pointer: string): void => {
    positions.set(pointer, positions.size);
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, childPointer(pointer, index)));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) visit(item, childPointer(pointer, key));
    }
  };
  visit(document, '');

  const positionOf = (pointer: string): number => {
    for (let current = pointer; ; current = current.slice(0, current.lastIndexOf('/'))) {
      const position = positions.get(current);
      if (position !== undefined) return position;
      if (current === '') return 0;
    }
  };
  return issues
    .map((issue, index) => ({ issue, index, position: positionOf(issue.pointer) }))
    .sort((a, b) => a.position - b.position || a.index - b.index)
    .map(({ issue }) => issue);
}
