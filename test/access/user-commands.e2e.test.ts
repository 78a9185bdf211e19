import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { forEachDatabase, type TestDatabase } from '../store/databases.js';
import { recomputeScrypt } from './support/independent-scrypt.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'platform/src/cli/main.ts');

interface CliResult {
  code: number | null;
  output: string;
}

/** Runs a `lumio` command on the suite's database, writes `stdin` to it, and collects stdout and stderr together. */
function runCli(database: TestDatabase, args: string[], stdin: string, env: Record<string, string> = {}): Promise<CliResult> {
  const options = database.storeOptions();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    // An empty value counts as unset, so a password in the developer's environment does not leak in.
    env: { ...process.env, LUMIO_DATA_DIR: options.dataDir, DATABASE_URL: options.databaseUrl ?? '', LUMIO_ADMIN_PASSWORD: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });

  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

forEachDatabase((database) => {
  describe('user commands', () => {
    const password = 'typed on standard input';

    it('create an admin from standard input', async () => {
      const result = await runCli(database, ['create-admin', '--email', 'Ops@Example.com', '--name', 'Ops team'], `${password}\n`);
      const store = await database.openStore();
      const row = await store.knex('users').where({ email: 'ops@example.com' }).first();
      const { expected, actual } = recomputeScrypt(row.password_hash, password);

      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain('Created admin ops@example.com');
      expect(result.output).not.toContain(password);
      expect(row).toMatchObject({ role: 'admin', name: 'Ops team', workspace_id: 'ws_default' });
      // The command uses the default cost, 2^17.
      expect(row.password_hash).toMatch(/^scrypt\$ln=17,r=8,p=1\$/);
      expect(actual).toBe(expected);
    }, 60_000);

    it('reject a duplicate email', async () => {
      const result = await runCli(database, ['create-admin', '--email', 'ops@example.com'], 'another long password\n');

      expect(result.code).toBe(1);
      expect(result.output).toContain('USER_EMAIL_EXISTS');
      expect(result.output).not.toContain('another long password');
    }, 60_000);

    it('reject a short password', async () => {
      const fromInput = await runCli(database, ['create-admin', '--email', 'short@example.com'], 'tooshort\n');
      const fromEnvironment = await runCli(database, ['create-admin', '--email', 'short@example.com'], '', { LUMIO_ADMIN_PASSWORD: 'tooshort' });
      const store = await database.openStore();

      expect(fromInput.code).toBe(1);
      expect(fromInput.output).toContain('PASSWORD_TOO_SHORT');
      expect(fromInput.output).not.toContain('tooshort');
      expect(fromEnvironment.code).toBe(1);
      expect(fromEnvironment.output).toContain('LUMIO_ADMIN_PASSWORD must be at least 12 characters');
      expect(await store.knex('users').where({ email: 'short@example.com' }).first()).toBeUndefined();
    }, 60_000);

    it('create a user with a role from LUMIO_ADMIN_PASSWORD', async () => {
      const fromEnvironment = 'set in the environment';
      const result = await runCli(database, ['create-user', '--email', 'integrator@example.com', '--role', 'integration_manager'], '', { LUMIO_ADMIN_PASSWORD: fromEnvironment, LUMIO_PASSWORD_SCRYPT_COST: '14' });
      const store = await database.openStore();
      const row = await store.knex('users').where({ email: 'integrator@example.com' }).first();
      const { expected, actual } = recomputeScrypt(row.password_hash, fromEnvironment);

      expect(result.code, result.output).toBe(0);
      expect(result.output).not.toContain(fromEnvironment);
      expect(row).toMatchObject({ role: 'integration_manager', name: 'integrator' });
      expect(actual).toBe(expected);
    }, 60_000);

    it('reject an unknown role or no password', async () => {
      const role = await runCli(database, ['create-user', '--email', 'x@example.com', '--role', 'owner'], '');
      const empty = await runCli(database, ['create-user', '--email', 'x@example.com', '--role', 'user'], '');

      expect(role.code).toBe(1);
      expect(role.output).toContain('role is "owner"');
      expect(empty.code).toBe(1);
      expect(empty.output).toContain('PASSWORD_MISSING');
    }, 60_000);
  });
});
