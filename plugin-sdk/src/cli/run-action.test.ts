import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { manifestTemplate } from '../authoring/scaffold-templates.js';
import { REJECTED_CREDENTIALS_ADVICE } from './run-action.js';
import { runCli } from './test-support/run-cli.js';

// How lumio-connector prints a failed command: a provider's rejection of the credentials,
// and the error code under the message. Connectors read a loopback server whose response
// depends on the API key each test sends.

/** Responses of the test server by X-Api-Key value; any other key gets 404. */
const RESPONSES: Record<string, { status: number; body: unknown }> = {
  'key-unauthorized-0001': { status: 401, body: { message: 'Invalid API key.' } },
  // "$&" would expand to the matched text if the message went through a replacement string.
  'key-forbidden-000002': { status: 403, body: { message: 'This key lacks the scope $&contacts.read.' } },
  'key-bad-request-0003': { status: 400, body: { message: 'limit must be at most 50.' } },
  'key-body-error-00004': { status: 200, body: { status: 'error', code: 'INVALID_KEY' } },
  'key-one-contact-0005': { status: 200, body: { data: [{ id: 'c1', name: 'Ana Souza', email: 'ana@example.com', updated_at: '2025-03-01T10:00:00Z' }], next_cursor: null } },
};

/** A transformPage hook that never returns, so the sandbox stops it at its CPU time limit. */
const LOOPING_PLUGIN = 'export default { transformPage(records: unknown[]) { for (;;) { if (records.length < 0) return records; } } };\n';

let workspace: string;
let connector: string;
let loopingConnector: string;
let server: Server;
let baseUrl: string;

/** Writes a connection file that sends `apiKey` to the test server and returns its path. */
async function writeConnection(apiKey: string): Promise<string> {
  const path = join(workspace, `${apiKey}.json`);
  await writeFile(path, JSON.stringify({ config: { baseUrl }, credentials: { apiKey } }));
  return path;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const reply = RESPONSES[String(request.headers['x-api-key'])] ?? { status: 404, body: { message: 'Unknown key.' } };
    response.writeHead(reply.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  workspace = await mkdtemp(join(tmpdir(), 'lumio-run-action-'));
  connector = join(workspace, 'rejected-key');
  await mkdir(connector);
  const manifest = manifestTemplate({ id: 'rejected-key', name: 'Rejected Key' });
  delete manifest.plugin;
  manifest.retry = { ...manifest.retry, bodyRules: [{ when: { bodyPath: 'code', equals: 'INVALID_KEY' }, outcome: 'authExpired' }] };
  await writeFile(join(connector, 'manifest.json'), JSON.stringify(manifest, null, 2));

  loopingConnector = join(workspace, 'looping-plugin');
  await mkdir(join(loopingConnector, 'plugin'), { recursive: true });
  const looping = manifestTemplate({ id: 'looping-plugin', name: 'Looping Plugin' });
  looping.plugin = { entry: 'plugin/index.ts', capabilities: [], limits: { cpuTimeMs: 50 } };
  await writeFile(join(loopingConnector, 'manifest.json'), JSON.stringify(looping, null, 2));
  await writeFile(join(loopingConnector, 'plugin', 'index.ts'), LOOPING_PLUGIN);
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await rm(workspace, { recursive: true, force: true });
});

describe('command error for rejected credentials', () => {
  it.each([
    ['401', 'key-unauthorized-0001', 'Invalid API key.'],
    ['403', 'key-forbidden-000002', 'This key lacks the scope $&contacts.read.'],
  ])('run points at --config after a %s', async (status, apiKey, providerMessage) => {
    const result = await runCli('run', connector, '--config', await writeConnection(apiKey), '--object', 'contacts');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Rejected Key returned HTTP ${status} for GET ${baseUrl}/v1/contacts: "${providerMessage}"; ${REJECTED_CREDENTIALS_ADVICE}.`);
    expect(result.stderr).not.toContain('connect again');
    expect(result.stderr).not.toContain(apiKey);
  });

  it('record points at --config after a 401', async () => {
    const result = await runCli('record', connector, '--config', await writeConnection('key-unauthorized-0001'));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('so no fixture was written');
    expect(result.stderr).toContain(`"Invalid API key."; ${REJECTED_CREDENTIALS_ADVICE}.`);
    expect(result.stderr).not.toContain('connect again');
  });

  it('run points at --config after a body rule', async () => {
    const result = await runCli('run', connector, '--config', await writeConnection('key-body-error-00004'), '--object', 'contacts');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Rejected Key rejected the credentials of request');
    expect(result.stderr).toContain(`"code" = "INVALID_KEY", and no refreshed token fixed it; ${REJECTED_CREDENTIALS_ADVICE}.`);
    expect(result.stderr).not.toContain('reconnect');
  });

  it('keeps the advice of other provider errors', async () => {
    const result = await runCli('run', connector, '--config', await writeConnection('key-bad-request-0003'), '--object', 'contacts');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"limit must be at most 50."; check the request values.');
    expect(result.stderr).not.toContain(REJECTED_CREDENTIALS_ADVICE);
  });
});

describe('command error code', () => {
  it('names the platform code under the message', async () => {
    const result = await runCli('run', loopingConnector, '--config', await writeConnection('key-one-contact-0005'), '--object', 'contacts');
    const lines = result.stderr.trimEnd().split('\n');

    expect(result.code).toBe(1);
    expect(lines[0]).toMatch(/^error: Reading "contacts" \(full\) failed after 0 records: The sandbox stopped the transformPage hook of the "looping-plugin" plugin after it used its 50 ms of CPU time\./);
    expect(lines[1]).toBe('  code: PLUGIN_CPU_LIMIT');
  });

  it('names the code of a command error', async () => {
    const result = await runCli('run', loopingConnector, '--config', join(workspace, 'missing-connection.json'), '--object', 'contacts');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing-connection.json does not exist');
    expect(result.stderr).toContain('\n  code: CONNECTION_FILE_UNREADABLE\n');
    expect(result.stderr).not.toContain('ENOENT');
  });

  it('skips codes of Node errors', async () => {
    // A port this test listened on and closed again, so the request is refused with ECONNREFUSED.
    const unused = createServer();
    await new Promise<void>((resolve) => unused.listen(0, '127.0.0.1', resolve));
    const { port } = unused.address() as AddressInfo;
    await new Promise((resolve) => unused.close(resolve));
    const closed = join(workspace, 'closed-port.json');
    await writeFile(closed, JSON.stringify({ config: { baseUrl: `http://127.0.0.1:${port}` }, credentials: { apiKey: 'key-unused-00000006' } }));

    const result = await runCli('run', connector, '--config', closed, '--object', 'contacts');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('\n  code: PROVIDER_UNREACHABLE\n');
    expect(result.stderr).not.toContain('ECONNREFUSED');
  });
});
