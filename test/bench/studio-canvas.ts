/**
 * Mapping canvas benchmark: how long a mapping page with 300 provider fields and 80 Lumio
 * fields takes to become interactive in headless Chromium, and how long a drag-to-connect
 * takes. docs/benchmarks.md defines each figure; test/studio/support-perf/ measures them.
 *
 *   node --import tsx test/bench/studio-canvas.ts
 *
 * Needs /usr/bin/chromium and a built studio (npm run build:studio). Options (environment):
 * BENCH_ROUNDS (default 3), BENCH_OPENS (opens of each kind per round, default 5), BENCH_DRAGS
 * (drags per round, default 10).
 */
import { readFileSync } from 'node:fs';

import { HAS_CHROMIUM } from '../studio/studio-harness.js';
import { startCanvasEnvironment, type CanvasEnvironment } from '../studio/support-perf/canvas-environment.js';
import type { DragTiming } from '../studio/support-perf/drag-probe.js';
import { planDrags, runDragSeries, waitForFirstPreview } from '../studio/support-perf/drag-series.js';
import { installOpenProbe, measureLinkOpen, measurePageLoad, type OpenTiming } from '../studio/support-perf/open-probe.js';
import { CANVAS_EXPECTATION, MAPPING_LINK } from '../studio/support-perf/wide-connector.js';
import { describeMachine, median } from './machine.js';

/** Targets: interactive in under 1.5 s, and every step of a drag painted in under 100 ms. */
const TARGET_INTERACTIVE_MS = 1_500;
const TARGET_INTERACTION_MS = 100;

function countOption(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(raw)) throw new Error(`${name} must be a whole number of 1 or more, got "${raw}".`);
  return Number(raw);
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

interface RoundResult {
  freshLoads: OpenTiming[];
  cachedLoads: OpenTiming[];
  linkOpens: OpenTiming[];
  drags: DragTiming[];
}

/**
 * Runs one round in a new browser context, whose HTTP cache starts empty: a page load without
 * cache, `opens - 1` page loads with the studio's script cached, `opens` opens from the
 * connection page's link, then `drags` drags on the last canvas.
 */
async function runRound(env: CanvasEnvironment, opens: number, drags: number): Promise<RoundResult> {
  const { context, page: first } = await env.newSignedInPage((created) => installOpenProbe(created, CANVAS_EXPECTATION));
  const result: RoundResult = { freshLoads: [], cachedLoads: [], linkOpens: [], drags: [] };

  try {
    result.freshLoads.push(await measurePageLoad(first, env.mappingUrl));
    await first.close();
    for (let index = 1; index < opens; index += 1) {
      const page = await context.newPage();
      result.cachedLoads.push(await measurePageLoad(page, env.mappingUrl));
      await page.close();
    }

    let page = await context.newPage();
    for (let index = 0; index < opens; index += 1) {
      if (index > 0) {
        await page.close();
        page = await context.newPage();
      }
      result.linkOpens.push(await measureLinkOpen(page, env.connectionUrl, MAPPING_LINK));
    }

    await waitForFirstPreview(page);
    result.drags = await runDragSeries(page, await planDrags(page, drags));
    return result;
  } finally {
    await context.close();
  }
}

function row(name: string, values: number[]): string {
  return `| ${name} | ${values.length} | ${median(values).toFixed(0)} | ${Math.max(...values).toFixed(0)} |`;
}

async function main(): Promise<void> {
  if (!HAS_CHROMIUM) throw new Error('The benchmark needs /usr/bin/chromium; install it with `apt-get install -y chromium`.');
  const rounds = countOption('BENCH_ROUNDS', 3);
  const opens = countOption('BENCH_OPENS', 5);
  const dragCount = countOption('BENCH_DRAGS', 10);

  const env = await startCanvasEnvironment();
  const chromium = env.browser.version();
  console.log(`machine: ${describeMachine()}`);
  console.log(`browser: Chromium ${chromium}, headless, no CPU throttling, 1440×900`);
  console.log(`command: node --import tsx test/bench/studio-canvas.ts (rounds ${rounds}, opens ${opens} of each kind and drags ${dragCount} per round)`);
  console.log(`load average at start: ${loadAverage()}`);

  const all: RoundResult = { freshLoads: [], cachedLoads: [], linkOpens: [], drags: [] };
  try {
    for (let round = 1; round <= rounds; round += 1) {
      const result = await runRound(env, opens, dragCount);
      all.freshLoads.push(...result.freshLoads);
      all.cachedLoads.push(...result.cachedLoads);
      all.linkOpens.push(...result.linkOpens);
      all.drags.push(...result.drags);
      const interactive = (timings: OpenTiming[]) => timings.map((timing) => timing.interactiveMs.toFixed(0)).join(', ');
      console.log(`  round ${round}: fresh load ${interactive(result.freshLoads)} ms; cached loads ${interactive(result.cachedLoads)} ms; link opens ${interactive(result.linkOpens)} ms`);
      console.log(`  round ${round}: connect ${result.drags.map((drag) => drag.connectMs.toFixed(0)).join(', ')} ms; slowest move ${result.drags.map((drag) => drag.pointerMoveMaxMs.toFixed(0)).join(', ')} ms; load average ${loadAverage()}`);
    }
  } finally {
    await env.close();
  }

  const opened = [...all.cachedLoads, ...all.linkOpens];
  const steps = all.drags.flatMap((drag) => [drag.pointerDownMs, drag.pointerMoveMaxMs, drag.connectMs]);
  console.log('');
  console.log('| figure | samples | median ms | max ms |');
  console.log('| --- | --- | --- | --- |');
  console.log(row('page load to interactive, empty cache', all.freshLoads.map((timing) => timing.interactiveMs)));
  if (all.cachedLoads.length > 0) console.log(row('page load to interactive, script cached', all.cachedLoads.map((timing) => timing.interactiveMs)));
  console.log(row('link click to interactive', all.linkOpens.map((timing) => timing.interactiveMs)));
  console.log(row('pointerdown to painted frame', all.drags.map((drag) => drag.pointerDownMs)));
  console.log(row('pointermove to painted frame, median of each drag', all.drags.map((drag) => drag.pointerMoveMedianMs)));
  console.log(row('pointermove to painted frame, slowest of each drag', all.drags.map((drag) => drag.pointerMoveMaxMs)));
  console.log(row('pointerup to new edge painted', all.drags.map((drag) => drag.connectMs)));
  console.log(row('longest task during a drag (0 when none of 50 ms)', all.drags.map((drag) => drag.longestTaskMs)));
  console.log(`load average at end: ${loadAverage()}`);

  const within = (values: number[], limit: number) => (Math.max(...values) < limit ? 'yes' : 'no');
  console.log(`targets: cached page loads and link opens interactive under ${TARGET_INTERACTIVE_MS} ms: ${within(opened.map((timing) => timing.interactiveMs), TARGET_INTERACTIVE_MS)}; empty-cache loads: ${within(all.freshLoads.map((timing) => timing.interactiveMs), TARGET_INTERACTIVE_MS)}; every drag step under ${TARGET_INTERACTION_MS} ms: ${within(steps, TARGET_INTERACTION_MS)}`);
  console.log(JSON.stringify({ benchmark: 'studio-canvas', chromium, ...all }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
