import type { Page } from 'playwright-core';

import { measureDrag, visibleFieldNodes, type DragPlan, type DragTiming } from './drag-probe.js';

/**
 * Contact fields the default mapping leaves unmapped, all strings, so a drag from any string
 * provider field onto them makes a rule without a type issue. They sit at the top of the
 * Lumio column, where the canvas shows them without scrolling.
 */
const DRAG_TARGETS = ['firstName', 'lastName', 'phone', 'mobilePhone', 'whatsapp', 'jobTitle', 'companyName', 'companyId', 'taxId', 'lifecycleStage', 'leadSource', 'ownerEmail'];

/**
 * Provider fields the drags start from: string fields placed at the top of the provider
 * column, because the layout puts mapped fields first.
 */
const DRAG_SOURCES = ['profile.fullName', 'profile.email', ...Array.from({ length: 20 }, (_, index) => `marketing.attribute${String(index + 1).padStart(2, '0')}`)];

/** Pairs the drag sources and targets that the canvas shows without scrolling, `count` drags in all. */
export async function planDrags(page: Page, count: number): Promise<DragPlan[]> {
  const visible = new Set(await visibleFieldNodes(page));
  const sources = DRAG_SOURCES.filter((path) => visible.has(`provider:${path}`));
  const targets = DRAG_TARGETS.filter((name) => visible.has(`canonical:${name}`));
  if (sources.length === 0 || targets.length === 0) {
    throw new Error(`The canvas shows ${sources.length} drag sources and ${targets.length} drag targets without scrolling; both must be at least 1.`);
  }

  return Array.from({ length: count }, (_, index) => {
    const source = sources[index % sources.length] as string;
    const target = targets[index % targets.length] as string;
    return { sourceNodeId: `provider:${source}`, targetNodeId: `canonical:${target}`, sourceLabel: source, targetLabel: target };
  });
}

/**
 * Waits for the preview that the studio requests half a second after a change, and for two
 * more frames, so its table is drawn before the next step starts.
 */
async function settleAfter(page: Page, action: () => Promise<unknown>): Promise<void> {
  const preview = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().endsWith('/field-mappings/preview'), { timeout: 30_000 });
  // Handled here as well, so a failed action reports its own error and not this wait's.
  preview.catch(() => undefined);
  await action();
  await preview;
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

export interface DragSeriesOptions {
  /** Whether each new link is undone (Ctrl+Z) before the next drag. Default true. */
  undo?: boolean;
}

/**
 * Runs the drags one after another. By default each new link is undone before the next
 * drag, so every drag starts from the same mapping.
 */
export async function runDragSeries(page: Page, plans: readonly DragPlan[], options: DragSeriesOptions = {}): Promise<DragTiming[]> {
  const timings: DragTiming[] = [];
  for (const plan of plans) {
    let timing: DragTiming | undefined;
    await settleAfter(page, async () => {
      timing = await measureDrag(page, plan);
    });
    const measured = timing as DragTiming;
    timings.push(measured);
    if (options.undo === false) continue;

    await settleAfter(page, async () => {
      await page.keyboard.press('Control+Z');
      await page.locator(`.react-flow__edge[data-id="${measured.edgeId}"]`).waitFor({ state: 'detached' });
    });
  }
  return timings;
}

/** Waits for the first preview of a freshly opened mapping page. */
export async function waitForFirstPreview(page: Page): Promise<void> {
  await page.locator('[data-testid=mapping-preview] tbody tr').first().waitFor({ timeout: 30_000 });
}
