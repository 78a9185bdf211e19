/** One link of an RFC 8288 `Link` header. */
export interface WebLink {
  /** The URI reference between angle brackets, as written (possibly relative). */
  target: string;
  /** Relation types from the first `rel` parameter, lower-cased. */
  rel: string[];
  /** Parameters by lower-cased name; the first occurrence of a name wins. */
  params: Record<string, string>;
}

/**
 * Parses a `Link` header value (RFC 8288 section 3). Commas and semicolons inside
 * angle brackets or quoted strings do not split links; a malformed link is skipped up
 * to the next comma.
 */
export function parseLinkHeader(header: string): WebLink[] {
  const scanner = new Scanner(header);
  const links: WebLink[] = [];

  while (!scanner.done()) {
    scanner.skip(/[\s,]/);
    if (scanner.done()) break;

    const link = readLink(scanner);
    if (link) links.push(link);
    else scanner.skipPastComma();
  }
  return links;
}

/**
 * Finds the first link with relation `rel` and resolves it against the URL of the
 * response that carried the header. Returns undefined when there is none or it is not
 * a valid URL.
 */
export function findLinkUrl(header: string | undefined, rel: string, responseUrl: string): string | undefined {
  if (!header) return undefined;

  const wanted = rel.toLowerCase();
  const link = parseLinkHeader(header).find((candidate) => candidate.rel.includes(wanted));
  if (!link) return undefined;
  return URL.canParse(link.target, responseUrl) ? new URL(link.target, responseUrl).href : undefined;
}

function readLink(scanner: Scanner): WebLink | undefined {
  if (scanner.peek() !== '<') return undefined;
  scanner.advance();
  const target = scanner.readUntil('>');
  if (target === undefined) return undefined;
  scanner.advance();

  const params: Record<string, string> = {};
  for (;;) {
    scanner.skip(/[ \t]/);
    if (scanner.done() || scanner.peek() === ',') break;
    if (scanner.peek() !== ';') return undefined;
    scanner.advance();
    scanner.skip(/[ \t]/);

    const name = scanner.readToken().toLowerCase();
    if (name === '') return undefined;
    scanner.skip(/[ \t]/);

    let value = '';
    if (scanner.peek() === '=') {
      scanner.advance();
      scanner.skip(/[ \t]/);
      const read = scanner.peek() === '"' ? scanner.readQuoted() : scanner.readToken();
      if (read === undefined) return undefined;
      value = read;
    }
    if (!Object.hasOwn(params, name)) params[name] = value;
  }

  const rel = (params.rel ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return { target: target.trim(), rel, params };
}

class Scanner {
  private index = 0;

  constructor(private readonly text: string) {}

  done(): boolean {
    return this.index >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.index];
  }

  advance(): void {
    this.index += 1;
  }

  skip(pattern: RegExp): void {
    while (!this.done() && pattern.test(this.text[this.index] ?? '')) this.index += 1;
  }

  readUntil(terminator: string): string | undefined {
    const end = this.text.indexOf(terminator, this.index);
    if (end === -1) return undefined;
    const value = this.text.slice(this.index, end);
    this.index = end;
    return value;
  }

  /** Reads an RFC 9110 token (or the unquoted value some servers send, e.g. a bare URL). */
  readToken(): string {
    const start = this.index;
    while (!this.done() && !/[\s;,="]/.test(this.text[this.index] ?? '')) this.index += 1;
    return this.text.slice(start, this.index);
  }

  /** Reads a quoted-string, undoing backslash escapes; undefined when it is never closed. */
  readQuoted(): string | undefined {
    this.advance();
    let value = '';
    while (!this.done()) {
      const char = this.text[this.index] ?? '';
      this.index += 1;
      if (char === '"') return value;
      if (char === '\\' && !this.done()) {
        value += this.text[this.index] ?? '';
        this.index += 1;
      } else {
        value += char;
      }
    }
    return undefined;
  }

  skipPastComma(): void {
    let quoted = false;
    let bracketed = false;
    while (!this.done()) {
      const char = this.text[this.index];
      this.index += 1;
      if (char === '"' && !bracketed) quoted = !quoted;
      else if (char === '<' && !quoted) bracketed = true;
      else if (char === '>' && !quoted) bracketed = false;
      else if (char === ',' && !quoted && !bracketed) return;
    }
  }
}
