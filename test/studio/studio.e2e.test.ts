import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { en } from '../../studio/src/i18n/messages-en.js';
import { ptBR } from '../../studio/src/i18n/messages-pt-BR.js';
import { readAllRecords, watchRun } from '../e2e/platform-harness.js';
import { overlappingLabels, untranslatedTexts } from './page-checks.js';
import { ADMIN, ARTIFACTS_DIR, HAS_CHROMIUM, signIn, startStudioEnvironment, VIEWER, type StudioEnvironment } from './studio-harness.js';

const CONTACTS = 300;
const SAO_PAULO = 'America/Sao_Paulo';
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
];

/** Computes the calendar date of an instant in São Paulo with Intl, not with the platform's code. */
function saoPauloDate(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: SAO_PAULO, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function artifact(name: string): string {
  return fileURLToPath(new URL(name, ARTIFACTS_DIR));
}

async function openPath(page: Page, path: string): Promise<void> {
  await page.goto(`${page.url().split('/studio')[0]}${path}`);
}

/** Drags with the real mouse from one handle to another, in small steps as a person would. */
async function dragHandle(page: Page, fromSelector: string, toSelector: string): Promise<void> {
  const from = await page.locator(fromSelector).boundingBox();
  const to = await page.locator(toSelector).boundingBox();
  if (!from || !to) throw new Error(`A handle to drag is not on screen: ${from ? toSelector : fromSelector}`);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + 60, from.y + 10, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 15 });
  await page.mouse.up();
}

async function expectReadable(page: Page, selector: string, language: 'pt-BR' | 'en'): Promise<void> {
  expect(await overlappingLabels(page, selector)).toEqual([]);
  if (language === 'pt-BR') expect(await untranslatedTexts(page)).toEqual([]);
}

describe.skipIf(!HAS_CHROMIUM)('studio in Chromium', () => {
  let env: StudioEnvironment;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lumio-studio-e2e-'));
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    env = await startStudioEnvironment(dataDir, CONTACTS);

    // Two webhook deliveries, so the event log has something to show.
    const secret = await env.platform.call('PUT', '/v1/integrations/hubspot/webhooks/secrets', { secrets: ['studio-e2e-webhook-secret'] });
    expect(secret.status).toBe(200);
    for (let delivery = 0; delivery < 2; delivery += 1) {
      const sent = await env.platform.call('POST', '/v1/integrations/hubspot/webhooks/test', {});
      expect(sent.status).toBe(200);
    }
  }, 180_000);

  afterAll(async () => {
    await env?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('maps, previews, saves, syncs and rolls back', async () => {
    const { context, page } = await env.newPage(1440, 900);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await signIn(page, env.platform.url, ADMIN);
    await expect(page.locator('[data-testid=user-role]').textContent()).resolves.toBe(ptBR['role.admin']);

    // Open HubSpot, then its contacts mapping, through the links a person would click.
    await page.locator('[data-testid=integration-hubspot] a', { hasText: ptBR['integrations.open'] }).click();
    await page.locator('[data-testid=mapping-link-contacts]').click();
    await page.locator('.react-flow__node[data-id="canonical:birthDate"]').waitFor();
    await page.locator('[data-testid=mapping-preview] tbody tr').first().waitFor();

    // The breadcrumb names the connector and leads back to the connection page, not its id.
    const breadcrumb = page.locator('[data-testid=mapping-breadcrumb]');
    await expect(breadcrumb.textContent()).resolves.toContain('HubSpot');
    await expect(breadcrumb.textContent()).resolves.not.toContain('conn_');
    await expect(breadcrumb.getAttribute('href')).resolves.toBe(`/studio/integrations/${env.connectionId}`);

    // Drag from the provider's createdate handle to the canonical birthDate handle.
    await dragHandle(page, '.react-flow__node[data-id="provider:properties.createdate"] .react-flow__handle.source', '.react-flow__node[data-id="canonical:birthDate"] .react-flow__handle.target');
    await page.locator('.react-flow__node[data-id="canonical:birthDate"]').click();
    await expect(page.locator('[data-testid=properties-panel]').textContent()).resolves.toContain('properties.createdate');

    // Insert a date transform: ISO 8601 in, calendar date in São Paulo out.
    await page.locator('[data-testid=add-transform-type]').selectOption('date');
    await page.locator('[data-testid=add-transform]').click();
    const editor = page.locator('[data-testid=transform-editor]');
    await editor.locator('select[data-param=from]').selectOption('iso8601');
    await editor.locator('select[data-param=to]').selectOption('date');
    await editor.locator('input[data-param=timeZone]').fill(SAO_PAULO);
    await expect(page.locator('.react-flow__node.selected, .react-flow__node .step-node.selected').first().textContent()).resolves.toContain(SAO_PAULO);

    // The preview marks birthDate as changed, with São Paulo dates.
    const changedCell = page.locator('[data-testid=mapping-preview] td[data-column=birthDate][data-changed=true]');
    await changedCell.first().waitFor({ timeout: 15_000 });
    const firstRow = page.locator('[data-testid=mapping-preview] tbody tr').first();
    const externalId = (await firstRow.locator('th').textContent()) as string;
    const shownDate = (await firstRow.locator('td[data-column=birthDate]').textContent()) as string;
    const sample = env.simulator.store.get('contacts', externalId);
    expect(shownDate).toBe(saoPauloDate(sample?.properties.createdate as string));

    await expectReadable(page, '[data-testid=mapping-canvas], .side-panel, [data-testid=mapping-preview]', 'pt-BR');
    await page.screenshot({ path: artifact('canvas-edit-pt-BR-1440x900.png') });

    // Undo removes the transform's last edit and redo brings it back.
    await page.locator('[data-testid=mapping-canvas]').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+Z');
    await expect(page.locator('[data-testid=mapping-canvas]').textContent()).resolves.not.toContain(SAO_PAULO);
    await page.keyboard.press('Control+Shift+Z');
    await expect(page.locator('[data-testid=mapping-canvas]').textContent()).resolves.toContain(SAO_PAULO);

    // Save with a comment; the API reports the new active version.
    await page.locator('[data-testid=save]').click();
    await page.locator('[data-testid=save-comment]').fill('Data de nascimento de teste');
    await page.locator('[data-testid=save-confirm]').click();
    await page.locator('[data-testid=mapping-notice]').waitFor();
    await expect(page.locator('[data-testid=mapping-notice]').textContent()).resolves.toContain(ptBR['save.recordsHint']);
    const active = await env.platform.call('GET', '/v1/integrations/hubspot/field-mappings/contacts');
    expect(active.status).toBe(200);
    expect(active.body.version).toBe(2);
    expect(active.body.comment).toBe('Data de nascimento de teste');
    expect(active.body.definition.fields.find((rule: any) => rule.target === 'birthDate')).toEqual({
      target: 'birthDate',
      source: 'properties.createdate',
      transforms: [{ type: 'date', from: 'iso8601', to: 'date', timeZone: SAO_PAULO }],
    });

    // The next sync applies it: every contact's birthDate is its creation date in São Paulo.
    const sync = await env.platform.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
    expect(sync.status).toBe(202);
    const run = await watchRun(env.platform, 'hubspot');
    expect(run.final.lastRun.status).toBe('succeeded');
    const records = (await readAllRecords(env.platform, 'hubspot', 'contact', false)).filter((record) => !record.deleted);
    expect(records.length).toBe(CONTACTS);
    const wrong = records.filter((record) => record.data.birthDate !== saoPauloDate(env.simulator.store.get('contacts', record.externalId)?.properties.createdate as string));
    expect(wrong.map((record) => record.externalId)).toEqual([]);
    const crossesMidnight = records.filter((record) => {
      const created = env.simulator.store.get('contacts', record.externalId)?.properties.createdate as string;
      return created.slice(0, 10) !== record.data.birthDate;
    });
    expect(crossesMidnight.length).toBeGreaterThan(0);

    // Roll back to version 1 from the history panel: version 3 copies it.
    await page.locator('[data-testid=history-tab]').click();
    await page.locator('[data-testid=version-2]').waitFor();
    // The platform stores the default mapping's comment in English; the page shows it in Portuguese.
    await expect(page.locator('[data-testid=version-1] .comment').textContent()).resolves.toBe('“Mapeamento padrão do manifesto do conector”');
    await page.locator('[data-testid=version-1] input[type=checkbox]').check();
    await page.locator('[data-testid=version-2] input[type=checkbox]').check();
    await expect(page.locator('[data-testid=version-diff]').textContent()).resolves.toContain('birthDate');
    await expectReadable(page, '[data-testid=mapping-canvas], .side-panel', 'pt-BR');
    await page.screenshot({ path: artifact('history-pt-BR-1440x900.png') });
    await page.locator('[data-testid=rollback-1]').click();
    await page.locator('[data-testid=version-3]').waitFor();
    const rolledBack = await env.platform.call('GET', '/v1/integrations/hubspot/field-mappings/contacts');
    expect(rolledBack.body.version).toBe(3);
    expect(rolledBack.body.definition.fields.some((rule: any) => rule.target === 'birthDate')).toBe(false);
    await expect(page.locator('[data-testid=mapping-version]').textContent()).resolves.toContain('3');

    // Switch to English: the page changes language and keeps it after a reload.
    await page.locator('[data-testid=language-switch]').first().selectOption('en');
    await expect(page.locator('h1').textContent()).resolves.toContain('Mapping:');
    await page.reload();
    await page.locator('.react-flow__node[data-id="canonical:birthDate"]').waitFor();
    await expect(page.locator('[data-testid=user-role]').textContent()).resolves.toBe(en['role.admin']);
    await expectReadable(page, '[data-testid=mapping-canvas], .side-panel, [data-testid=mapping-preview]', 'en');

    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('translates connector categories', async () => {
    for (const [language, catalogue, label] of [
      ['pt-BR', ptBR, 'Categoria'],
      ['en', en, 'Category'],
    ] as const) {
      const { context, page } = await env.newPage(1440, 900);
      await page.goto(`${env.platform.url}/studio/`);
      await page.evaluate(`localStorage.setItem('lumio.studio.locale', ${JSON.stringify(language)})`);
      await signIn(page, env.platform.url, ADMIN);

      await expect(page.locator('[data-testid=integration-hubspot]').textContent()).resolves.toContain(`${label}: ${catalogue['category.crm']}`);
      await expect(page.locator('[data-testid=integration-example-tasks]').textContent()).resolves.toContain(`${label}: ${catalogue['category.other']}`);
      await expect(page.locator('main').textContent()).resolves.not.toMatch(/: (other|crm)\b/);
      await context.close();
    }
  }, 120_000);

  it('pages the run history and follows a sync', async () => {
    // Twelve finished runs more than one page of history holds.
    const { store } = env.platform.platform;
    const connection = await store.connections.get(env.connectionId);
    for (let index = 0; index < 12; index += 1) {
      const run = await store.syncRuns.create({ workspaceId: connection!.workspaceId, connectionId: env.connectionId, object: 'contacts', mode: 'incremental', trigger: 'schedule' });
      const at = new Date(Date.now() - (12 - index) * 60_000).toISOString();
      await store.syncRuns.update(run.id, { status: 'succeeded', startedAt: at, finishedAt: at });
    }
    const all = await env.platform.call('GET', `/v1/integrations/${env.connectionId}/sync/runs?limit=200`);
    expect(all.status).toBe(200);
    expect(all.body.runs.length).toBeGreaterThan(12);

    const { context, page } = await env.newPage(1440, 900);
    await signIn(page, env.platform.url, ADMIN);
    await openPath(page, '/studio/integrations/hubspot');
    const rows = page.locator('[data-testid=run-row]');
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(10);
    await expect(page.locator('[role=tab]').nth(1).textContent()).resolves.toBe(ptBR['connection.tabWebhooks']);

    // "Load more" appends the older runs until the API has none left.
    const more = page.locator('[data-testid=runs-load-more]');
    while ((await more.count()) > 0) {
      const before = await rows.count();
      await more.click();
      await expect.poll(() => rows.count()).toBeGreaterThan(before);
    }
    const shownIds: (string | null)[] = [];
    for (let index = 0; index < (await rows.count()); index += 1) shownIds.push(await rows.nth(index).getAttribute('data-run-id'));
    expect(shownIds).toEqual(all.body.runs.map((run: any) => run.id));

    // A sync that finishes while the page is open shows in the history and in the header.
    const started = await env.platform.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'incremental' });
    expect(started.status).toBe(202);
    const run = await watchRun(env.platform, 'hubspot');
    expect(run.final.lastRun.status).toBe('succeeded');
    const lastSync = (await env.platform.call('GET', '/v1/integrations/hubspot')).body.lastSync as string;
    // The browser context runs in São Paulo time, as the harness sets it.
    const when = new Intl.DateTimeFormat('pt-BR', { dateStyle: 'short', timeStyle: 'medium', timeZone: SAO_PAULO }).format(new Date(lastSync));
    const expectedHeader = ptBR['connection.lastSyncAt'].replace('{when}', when);
    await expect.poll(() => page.locator('.header-facts').textContent(), { timeout: 15_000 }).toContain(expectedHeader);
    await expect.poll(() => rows.first().getAttribute('data-run-id'), { timeout: 15_000 }).toBe(started.body.id);

    await context.close();
  }, 120_000);

  it('sign-in page logs only the 401', async () => {
    const { context, page } = await env.newPage(1440, 900);
    const messages: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') messages.push(message.text());
    });
    await page.goto(`${env.platform.url}/studio/`);
    await page.locator('input[name=email]').waitFor();

    // Chromium logs every response with an error status that a page fetches; the studio
    // itself logs nothing for the expected 401 of the session check.
    const unexpected = messages.filter((text) => !/Failed to load resource: .*401/.test(text));
    expect(unexpected).toEqual([]);
    await context.close();
  }, 60_000);

  it('keeps read-only users from saving', async () => {
    const { context, page } = await env.newPage(1440, 900);
    await signIn(page, env.platform.url, VIEWER);
    await expect(page.locator('[data-testid=user-role]').textContent()).resolves.toBe(ptBR['role.user']);

    await openPath(page, '/studio/integrations/hubspot/mappings/contacts');
    await page.locator('.react-flow__node[data-id="canonical:birthDate"]').waitFor();
    const save = page.locator('[data-testid=save]');
    await expect(save.isDisabled()).resolves.toBe(true);
    await expect(save.getAttribute('title')).resolves.toBe(ptBR['readOnly.write']);

    // A drag makes no link and leaves nothing to save.
    const edgesBefore = await page.locator('.react-flow__edge').count();
    await dragHandle(page, '.react-flow__node[data-id="provider:properties.createdate"] .react-flow__handle.source', '.react-flow__node[data-id="canonical:birthDate"] .react-flow__handle.target');
    await expect(page.locator('.react-flow__edge').count()).resolves.toBe(edgesBefore);
    await expect(save.isDisabled()).resolves.toBe(true);

    // Sync buttons on the connection page are disabled with the same reason.
    await openPath(page, '/studio/integrations/hubspot');
    const full = page.locator('[data-testid=sync-panel] button', { hasText: ptBR['sync.full'] });
    await full.waitFor();
    await expect(full.isDisabled()).resolves.toBe(true);
    await expect(full.getAttribute('title')).resolves.toBe(ptBR['readOnly.write']);

    // The API refuses the read-only session's save as well.
    const session = await context.request.get(`${env.platform.url}/v1/session`);
    const csrfToken = (await session.json()).csrfToken as string;
    const current = await env.platform.call('GET', '/v1/integrations/hubspot/field-mappings/contacts');
    const attempt = await context.request.put(`${env.platform.url}/v1/integrations/hubspot/field-mappings/contacts`, {
      headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      data: { definition: current.body.definition, baseVersion: current.body.version },
    });
    expect(attempt.status()).toBe(403);
    const after = await env.platform.call('GET', '/v1/integrations/hubspot/field-mappings/contacts');
    expect(after.body.version).toBe(current.body.version);
    await context.close();
  }, 120_000);

  for (const size of SIZES) {
    for (const language of ['pt-BR', 'en'] as const) {
      it(`shows every page at ${size.width}x${size.height} in ${language}`, async () => {
        const { context, page } = await env.newPage(size.width, size.height);
        await page.goto(`${env.platform.url}/studio/`);
        await page.evaluate(`localStorage.setItem('lumio.studio.locale', ${JSON.stringify(language)})`);
        await signIn(page, env.platform.url, ADMIN);
        const suffix = `${language}-${size.width}x${size.height}`;

        await openPath(page, '/studio/integrations/hubspot');
        await page.locator('[data-testid=health-panel] table').first().waitFor();
        await page.locator('[data-testid=sync-panel] table').waitFor();
        await expectReadable(page, 'main', language);
        await page.screenshot({ path: artifact(`connection-${suffix}.png`) });

        await openPath(page, '/studio/integrations/hubspot/webhooks');
        await page.locator('[data-testid=webhook-event]').first().click();
        await page.locator('[data-testid=webhook-event-view] .json-view').waitFor();
        await expectReadable(page, 'main', language);
        await page.screenshot({ path: artifact(`webhooks-${suffix}.png`) });

        await openPath(page, '/studio/integrations/hubspot/mappings/contacts');
        await page.locator('[data-testid=mapping-preview] tbody tr').first().waitFor();
        await page.locator('.react-flow__node[data-id^="transform:"]').first().click();
        await page.locator('[data-testid=transform-editor]').waitFor();
        await expectReadable(page, '[data-testid=mapping-canvas], .side-panel, [data-testid=mapping-preview]', language);
        await page.screenshot({ path: artifact(`canvas-${suffix}.png`) });
        await page.locator('[data-testid=mapping-preview]').screenshot({ path: artifact(`preview-${suffix}.png`) });

        await context.close();
      }, 120_000);
    }
  }
});

describe.runIf(!HAS_CHROMIUM)('studio in Chromium', () => {
  it.skip('needs /usr/bin/chromium: install it with `apt-get install -y chromium` (.ci/run does)', () => undefined);
});
