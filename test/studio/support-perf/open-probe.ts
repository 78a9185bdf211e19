import type { BrowserContext, Page } from 'playwright-core';

// Times taken inside the page with performance.now(). The page scripts are strings because
// the tests' TypeScript setup has no DOM types.

/** How many field nodes the canvas must show before it counts as interactive. */
export interface CanvasExpectation {
  providerNodes: number;
  canonicalNodes: number;
  /** The node whose handle must accept a pointer, such as `provider:profile.fullName`. */
  probeNodeId: string;
}

/**
 * Milliseconds from the start of an open to each of its steps. The start is the navigation
 * start for a page load, and the click's event timestamp for a click on a mapping link.
 */
export interface OpenTiming {
  /** Every field node in the DOM and measured (visible), and the probe node's handle is what a pointer at its centre hits. */
  interactiveMs: number;
  /** Every field node in the DOM and measured. */
  nodesMeasuredMs: number;
  /** The first field node in the DOM. */
  firstNodeMs: number;
  /** End of the catalogue response and of the active mapping's response. */
  catalogResponseMs: number;
  mappingResponseMs: number;
  /** Longest main-thread task (Long Tasks API, 50 ms or more) between the start and the interactive canvas; 0 when none. */
  longestTaskMs: number;
}

/** What the page scripts keep on `window`, as far as the waits read it. */
export interface ProbeGlobals {
  __lumioCanvas?: { interactiveAt: number | null };
  __lumioDrag?: { edgeAt: number | null };
}

// Installed on every document of the context. On a mapping page it starts at navigation
// start; on other pages at a click on a link to a mapping page. From the start it checks once
// per animation frame whether the canvas is interactive. It also collects long tasks, which
// the drag probe reads.
const OPEN_PROBE = `(expected) => {
  const probe = { startAt: null, firstNodeAt: null, nodesAt: null, interactiveAt: null, longTasks: [] };
  window.__lumioCanvas = probe;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}

  const measured = (nodes) => {
    for (const node of nodes) if (node.style.visibility !== 'visible') return false;
    return true;
  };
  const check = () => {
    const providers = document.querySelectorAll('.react-flow__node[data-id^="provider:"]');
    const canonicals = document.querySelectorAll('.react-flow__node[data-id^="canonical:"]');
    if (probe.firstNodeAt === null && providers.length + canonicals.length > 0) probe.firstNodeAt = performance.now();
    if (probe.nodesAt === null && providers.length === expected.providerNodes && canonicals.length === expected.canonicalNodes && measured(providers) && measured(canonicals)) {
      probe.nodesAt = performance.now();
    }
    if (probe.nodesAt !== null) {
      const handle = document.querySelector('.react-flow__node[data-id="' + expected.probeNodeId + '"] .react-flow__handle');
      const box = handle ? handle.getBoundingClientRect() : null;
      const hit = box ? document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) : null;
      if (hit === handle && handle.classList.contains('connectable')) {
        probe.interactiveAt = performance.now();
        return;
      }
    }
    requestAnimationFrame(check);
  };

  if (location.pathname.includes('/mappings/')) {
    probe.startAt = 0;
    requestAnimationFrame(check);
    return;
  }
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href*="/mappings/"]') : null;
    if (!link || probe.startAt !== null) return;
    probe.startAt = event.timeStamp;
    requestAnimationFrame(check);
  }, true);
}`;

const OPEN_RESULT = `(() => {
  const probe = window.__lumioCanvas;
  const since = (at) => at - probe.startAt;
  // The first matching request after the start: the page requests each once when it opens.
  const responseEnd = (pattern) => {
    const entry = performance.getEntriesByType('resource').find((candidate) => pattern.test(candidate.name) && candidate.startTime >= probe.startAt);
    return entry ? since(entry.responseEnd) : -1;
  };
  const during = probe.longTasks.filter((task) => task.start + task.duration > probe.startAt && task.start < probe.interactiveAt);
  return {
    interactiveMs: since(probe.interactiveAt),
    nodesMeasuredMs: since(probe.nodesAt),
    firstNodeMs: since(probe.firstNodeAt),
    catalogResponseMs: responseEnd(/\\/field-mappings\\/[^/]+\\/catalog$/),
    mappingResponseMs: responseEnd(/\\/field-mappings\\/(?!preview$)[^/?]+$/),
    longestTaskMs: Math.max(0, ...during.map((task) => task.duration)),
  };
})()`;

/** Makes every page of the context record when a mapping canvas becomes interactive. */
export async function installOpenProbe(context: BrowserContext, expected: CanvasExpectation): Promise<void> {
  await context.addInitScript(`(${OPEN_PROBE})(${JSON.stringify(expected)})`);
}

async function readOpenTiming(page: Page, timeoutMs: number): Promise<OpenTiming> {
  // A function, not a string: the studio's Content-Security-Policy forbids the eval that a string predicate needs.
  await page.waitForFunction(() => ((globalThis as ProbeGlobals).__lumioCanvas?.interactiveAt ?? null) !== null, undefined, { timeout: timeoutMs });
  return page.evaluate(OPEN_RESULT) as Promise<OpenTiming>;
}

/** Loads the mapping page at `url` in `page` and returns the timings from navigation start. */
export async function measurePageLoad(page: Page, url: string, timeoutMs = 60_000): Promise<OpenTiming> {
  await page.goto(url);
  return readOpenTiming(page, timeoutMs);
}

/**
 * Loads the connection page at `connectionUrl`, clicks the link `linkSelector` to a mapping
 * page, and returns the timings from the click: the studio changes pages without a reload.
 */
export async function measureLinkOpen(page: Page, connectionUrl: string, linkSelector: string, timeoutMs = 60_000): Promise<OpenTiming> {
  await page.goto(connectionUrl);
  await page.locator(linkSelector).click();
  return readOpenTiming(page, timeoutMs);
}
