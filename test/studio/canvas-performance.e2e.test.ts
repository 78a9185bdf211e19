import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { median } from '../bench/machine.js';
import { HAS_CHROMIUM } from './studio-harness.js';
import { startCanvasEnvironment, WIDE_RECORDS, type CanvasEnvironment } from './support-perf/canvas-environment.js';
import { planDrags, runDragSeries, waitForFirstPreview } from './support-perf/drag-series.js';
import { installOpenProbe, measureLinkOpen, measurePageLoad, type OpenTiming } from './support-perf/open-probe.js';
import { CANVAS_EXPECTATION, CONTACT_CATALOGUE_FIELDS, CUSTOM_FIELD_TARGETS, LUMIO_FIELDS, MAPPING_LINK, WIDE_CONNECTOR_ID, WIDE_OBJECT } from './support-perf/wide-connector.js';
import { DECLARED_FIELDS, PROVIDER_FIELDS, UNDECLARED_FIELDS } from './support-perf/wide-records.js';

// The timings vary by a factor of two on the shared 2-core machine this was written on. So
// the test checks what the canvas shows and prints the figures, without asserting the
// targets (1.5 s to interactive, 100 ms per drag step). test/bench/studio-canvas.ts repeats
// the measurement, and docs/benchmarks.md records it.

const DRAGS = 10;
const CATALOG_PATH = `/v1/integrations/${WIDE_CONNECTOR_ID}/field-mappings/${WIDE_OBJECT}/catalog`;
const MAPPING_PATH = `/v1/integrations/${WIDE_CONNECTOR_ID}/field-mappings/${WIDE_OBJECT}`;

function describeOpen(kind: string, timing: OpenTiming): string {
  return `${kind}: interactive ${timing.interactiveMs.toFixed(0)} ms (catalogue ${timing.catalogResponseMs.toFixed(0)}, first node ${timing.firstNodeMs.toFixed(0)}, all nodes ${timing.nodesMeasuredMs.toFixed(0)}, longest task ${timing.longestTaskMs.toFixed(0)})`;
}

/** The probe's steps must come in order, or it measured something else than the open. */
function expectOrderedSteps(timing: OpenTiming): void {
  expect(timing.catalogResponseMs).toBeGreaterThan(0);
  expect(timing.mappingResponseMs).toBeGreaterThan(0);
  expect(timing.firstNodeMs).toBeGreaterThanOrEqual(Math.max(timing.catalogResponseMs, timing.mappingResponseMs));
  expect(timing.nodesMeasuredMs).toBeGreaterThanOrEqual(timing.firstNodeMs);
  expect(timing.interactiveMs).toBeGreaterThanOrEqual(timing.nodesMeasuredMs);
}

describe.skipIf(!HAS_CHROMIUM)('mapping canvas with 300 and 80 fields', () => {
  let env: CanvasEnvironment;

  beforeAll(async () => {
    env = await startCanvasEnvironment();
  }, 120_000);

  afterAll(async () => {
    await env?.close();
  });

  it('catalogue lists every field', async () => {
    const catalog = await env.platform.call('GET', CATALOG_PATH);
    expect(catalog.status).toBe(200);
    const providerFields: { path: string; source: string; isArray: boolean }[] = catalog.body.providerFields;
    expect(providerFields.length).toBe(PROVIDER_FIELDS);
    expect(providerFields.filter((field) => field.source === 'schema').length).toBe(DECLARED_FIELDS);
    expect(providerFields.filter((field) => field.source === 'seen').length).toBe(UNDECLARED_FIELDS);
    expect(catalog.body.sampledRecords).toBe(WIDE_RECORDS);

    // Nested objects two levels deep, and fields inside arrays of objects.
    const byPath = new Map(providerFields.map((field) => [field.path, field]));
    expect(byPath.get('company.address.city')?.isArray).toBe(false);
    expect(byPath.get('phones[].number')?.isArray).toBe(true);
    expect(byPath.get('accountProperties.custom40')?.source).toBe('seen');
    expect(catalog.body.canonicalFields.length).toBe(CONTACT_CATALOGUE_FIELDS);

    // The 80 Lumio fields: the contact's own fields plus the custom fields the mapping writes.
    const mapping = await env.platform.call('GET', MAPPING_PATH);
    expect(mapping.status).toBe(200);
    const targets: string[] = mapping.body.definition.fields.map((rule: { target: string }) => rule.target);
    const customTargets = new Set(targets.filter((target) => target.startsWith('customFields.')));
    expect(customTargets.size).toBe(CUSTOM_FIELD_TARGETS);
    const canonicalNames = new Set(catalog.body.canonicalFields.map((field: { name: string }) => field.name));
    expect(new Set([...canonicalNames, ...targets]).size).toBe(LUMIO_FIELDS);
  });

  it('opens with every field node', async () => {
    const { context, page } = await env.newSignedInPage((created) => installOpenProbe(created, CANVAS_EXPECTATION));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    const load = await measurePageLoad(page, env.mappingUrl);
    expectOrderedSteps(load);
    await expect(page.locator('.react-flow__node[data-id^="provider:"]').count()).resolves.toBe(PROVIDER_FIELDS);
    await expect(page.locator('.react-flow__node[data-id^="canonical:"]').count()).resolves.toBe(LUMIO_FIELDS);
    await expect(page.locator('.react-flow__node[data-id="canonical:customFields.supportAttribute12"]').count()).resolves.toBe(1);

    const link = await measureLinkOpen(page, env.connectionUrl, MAPPING_LINK);
    expectOrderedSteps(link);
    await expect(page.locator('.react-flow__node[data-id^="provider:"]').count()).resolves.toBe(PROVIDER_FIELDS);

    process.stdout.write(`canvas ${PROVIDER_FIELDS}×${LUMIO_FIELDS}, Chromium ${env.browser.version()}\n`);
    process.stdout.write(`${describeOpen('page load, empty cache', load)}\n`);
    process.stdout.write(`${describeOpen('link click', link)}\n`);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('connects by drag and saves the link', async () => {
    const before = await env.platform.call('GET', MAPPING_PATH);
    const { context, page } = await env.newSignedInPage((created) => installOpenProbe(created, CANVAS_EXPECTATION));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await measurePageLoad(page, env.mappingUrl);
    await waitForFirstPreview(page);
    const edgesBefore = await page.locator('.react-flow__edge').count();

    // Each drag makes one edge labelled with its two fields; undo removes it again.
    const plans = await planDrags(page, DRAGS);
    const timings = await runDragSeries(page, plans);
    expect(timings.length).toBe(DRAGS);
    for (const [index, timing] of timings.entries()) {
      expect(timing.edgeId, `drag ${index + 1}`).toMatch(/^edge:\d+$/);
      expect(timing.pointerMoves, `drag ${index + 1}`).toBeGreaterThanOrEqual(15);
      expect(timing.connectMs, `drag ${index + 1}`).toBeGreaterThan(0);
    }
    await expect(page.locator('.react-flow__edge').count()).resolves.toBe(edgesBefore);

    const connect = timings.map((timing) => timing.connectMs);
    const slowestMoves = timings.map((timing) => timing.pointerMoveMaxMs);
    process.stdout.write(`drags: connect median ${median(connect).toFixed(0)} ms, max ${Math.max(...connect).toFixed(0)} ms; slowest move median ${median(slowestMoves).toFixed(0)} ms, max ${Math.max(...slowestMoves).toFixed(0)} ms; pointerdown max ${Math.max(...timings.map((timing) => timing.pointerDownMs)).toFixed(0)} ms\n`);

    // One more drag, saved: the new version contains the rule the drag made.
    const [plan] = plans;
    if (!plan) throw new Error('planDrags returned no drag.');
    const [kept] = await runDragSeries(page, [plan], { undo: false });
    expect(kept?.edgeId).toMatch(/^edge:\d+$/);
    await page.locator('[data-testid=save]').click();
    await page.locator('[data-testid=save-comment]').fill('Ligação feita no teste de desempenho');
    await page.locator('[data-testid=save-confirm]').click();
    await page.locator('[data-testid=mapping-notice]').waitFor();

    const saved = await env.platform.call('GET', MAPPING_PATH);
    expect(saved.body.version).toBe(before.body.version + 1);
    expect(saved.body.definition.fields.find((rule: { target: string }) => rule.target === plan.targetLabel)).toEqual({ target: plan.targetLabel, source: plan.sourceLabel });
    expect(saved.body.definition.fields.length).toBe(before.body.definition.fields.length + 1);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});

describe.runIf(!HAS_CHROMIUM)('mapping canvas with 300 and 80 fields', () => {
  it.skip('needs /usr/bin/chromium: install it with `apt-get install -y chromium`', () => undefined);
});
