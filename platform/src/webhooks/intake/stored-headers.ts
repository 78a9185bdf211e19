/** Headers never stored with a delivery, because they carry credentials. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/**
 * Returns the headers to keep with a stored delivery: everything but credentials, so the
 * event log can show what the provider sent and a signature can be checked again later.
 */
export function storedHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_HEADERS.has(name)) kept[name] = value;
  }
  return kept;
}
