/** A secret the suite used, by name, as text or as raw bytes (a decoded signing key). */
export interface NamedSecret {
  name: string;
  value: string | Buffer;
}

/**
 * Returns the base64 characters that a value's bytes alone decide, at each of the three byte
 * offsets it may start at inside a longer base64 text (such as `user:secret` in a Basic
 * header). The characters that mix with neighbouring bytes or padding are left out.
 */
function base64Fragments(bytes: Buffer, encoding: 'base64' | 'base64url'): string[] {
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(encoding);
    const first = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    fragments.push(encoded.slice(first, end));
  }
  return fragments;
}

/** Lists the forms a secret may take in a log line or a response: plain, URL-encoded, hex, base64 and base64url. */
export function encodedForms(value: string | Buffer): string[] {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const forms = new Set<string>([bytes.toString('hex'), bytes.toString('hex').toUpperCase(), ...base64Fragments(bytes, 'base64'), ...base64Fragments(bytes, 'base64url')]);
  if (typeof value === 'string') {
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(new URLSearchParams({ value }).toString().slice('value='.length));
  }
  return [...forms];
}

/** Returns `name (form)` for every form of every secret that the text contains. */
export function findSecrets(text: string, secrets: readonly NamedSecret[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (const form of encodedForms(secret.value)) {
      if (text.includes(form)) found.push(`${secret.name} (${form.slice(0, 12)}…)`);
    }
  }
  return found;
}
