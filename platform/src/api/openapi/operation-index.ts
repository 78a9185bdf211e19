import { BODY_CHECKS_EXTENSION, type BodyChecks, type OperationObject, type PathsObject } from './builders.js';
import { HTTP_METHODS } from './document.js';

export interface IndexedOperation {
  /** Upper-case HTTP method. */
  method: string;
  /** Path template of the document, such as `/v1/integrations/{id}/sync`. */
  template: string;
  operation: OperationObject;
  bodyChecks: BodyChecks;
}

interface Entry extends IndexedOperation {
  pattern: RegExp;
  literalSegments: number;
}

/** Finds the documented operation of a request by its method and path. */
export class OperationIndex {
  readonly #entries: Entry[] = [];

  constructor(paths: PathsObject) {
    for (const [template, item] of Object.entries(paths)) {
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!operation) continue;
        this.#entries.push({
          method: method.toUpperCase(),
          template,
          operation,
          bodyChecks: operation[BODY_CHECKS_EXTENSION] === 'types' ? 'types' : 'full',
          pattern: templatePattern(template),
          literalSegments: template.split('/').filter((segment) => segment !== '' && !segment.startsWith('{')).length,
        });
      }
    }

    // `/webhooks/replay` must win over `/webhooks/{eventId}`, as in the router, so literal segments go first.
    this.#entries.sort((left, right) => right.literalSegments - left.literalSegments);
  }

  find(method: string, path: string): IndexedOperation | undefined {
    const verb = method.toUpperCase();
    const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
    return this.#entries.find((entry) => entry.method === verb && entry.pattern.test(normalized));
  }

  /** Lists every operation, in the order `find` tries them. */
  list(): IndexedOperation[] {
    return this.#entries.map(({ method, template, operation, bodyChecks }) => ({ method, template, operation, bodyChecks }));
  }
}

function templatePattern(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => (segment.startsWith('{') && segment.endsWith('}') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}
