/**
 * Position of a page in a list, as plain JSON so a stream state can store it. Callers
 * use `null` for the first page, which is built from the template alone.
 */
export type PagePosition =
  | { type: 'cursor'; cursor: string | number }
  | { type: 'offset'; offset: number }
  | { type: 'pageNumber'; page: number }
  | { type: 'url'; url: string };

/** Returns a key that is equal for two positions exactly when they would fetch the same page. */
export function positionKey(position: PagePosition): string {
  switch (position.type) {
    case 'cursor':
      return `cursor:${JSON.stringify(position.cursor)}`;
    case 'offset':
      return `offset:${position.offset}`;
    case 'pageNumber':
      return `page:${position.page}`;
    case 'url':
      return `url:${position.url}`;
  }
}

/** Describes a position for messages, e.g. `cursor "abc"` or `offset 200`. */
export function describePosition(position: PagePosition): string {
  switch (position.type) {
    case 'cursor':
      return `cursor ${JSON.stringify(position.cursor)}`;
    case 'offset':
      return `offset ${position.offset}`;
    case 'pageNumber':
      return `page ${position.page}`;
    case 'url':
      return `next URL ${position.url.split('?')[0] ?? position.url}`;
  }
}
