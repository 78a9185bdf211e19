import { escapePointerToken, unescapePointerToken } from '../json-schema/index.js';

/** Returns the JSON pointer of `token` under `base`, escaping the token. */
export function childPointer(base: string, token: string | number): string {
  return `${base}/${escapePointerToken(String(token))}`;
}

/** Returns the JSON pointer made of these tokens, e.g. ["objects", "contacts"] gives "/objects/contacts". */
export function pointerOf(...tokens: (string | number)[]): string {
  return tokens.reduce<string>((pointer, token) => childPointer(pointer, token), '');
}

/** Returns the unescaped last token of a pointer, or undefined for the root pointer "". */
export function lastPointerToken(pointer: string): string | undefined {
  if (pointer === '') return undefined;
  return unescapePointerToken(pointer.slice(pointer.lastIndexOf('/') + 1));
}

/** Returns whether `pointer` is `ancestor` itself or a location inside it. */
export function isAtOrBelow(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}
