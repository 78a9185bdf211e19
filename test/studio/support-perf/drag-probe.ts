import type { Page } from 'playwright-core';

import type { ProbeGlobals } from './open-probe.js';

// Times taken inside the page with performance.now(). The page scripts are strings because
// the tests' TypeScript setup has no DOM types.

/** One drag, from a provider field's handle to a Lumio field's handle. */
export interface DragPlan {
  sourceNodeId: string;
  targetNodeId: string;
  /** Text the new edge's aria-label must contain: the provider path and the Lumio field. */
  sourceLabel: string;
  targetLabel: string;
}

/** Milliseconds of one drag-to-connect, each measured from the event's timestamp to the end of the next painted frame. */
export interface DragTiming {
  /** pointerdown on the provider handle until the frame after it is painted. */
  pointerDownMs: number;
  /** Slowest pointermove of the drag until the frame after it is painted. */
  pointerMoveMaxMs: number;
  /** Median over the drag's pointermoves, each until the frame after it is painted. */
  pointerMoveMedianMs: number;
  pointerMoves: number;
  /** pointerup on the Lumio handle until the frame that shows the new edge is painted. */
  connectMs: number;
  /** pointerdown until the new edge is painted; includes the time the test takes to send the moves. */
  wholeDragMs: number;
  /** Longest main-thread task (50 ms or more) from pointerdown until the edge was painted; 0 when none. */
  longestTaskMs: number;
  /** The new edge's data-id. */
  edgeId: string;
}

// Runs once per drag. "After paint" is the task that a zero-delay timeout queues from an
// animation frame callback: it runs once that frame has been rendered.
const DRAG_PROBE = `(plan) => {
  const known = new Set([...document.querySelectorAll('.react-flow__edge')].map((edge) => edge.dataset.id));
  const drag = { down: null, downPainted: null, moves: [], up: null, edgeAt: null, edgeId: null };
  window.__lumioDrag = drag;
  const afterPaint = (callback) => requestAnimationFrame(() => setTimeout(callback, 0));
  const newEdge = () => {
    for (const edge of document.querySelectorAll('.react-flow__edge')) {
      const label = edge.getAttribute('aria-label') || '';
      if (!known.has(edge.dataset.id) && label.includes(plan.sourceLabel) && label.includes(plan.targetLabel)) return edge;
    }
    return null;
  };
  const options = { capture: true };
  const onDown = (event) => {
    drag.down = event.timeStamp;
    afterPaint(() => { drag.downPainted = performance.now(); });
  };
  const onMove = (event) => {
    if (drag.down === null || drag.up !== null) return;
    const move = { at: event.timeStamp, painted: null };
    drag.moves.push(move);
    afterPaint(() => { move.painted = performance.now(); });
  };
  const onUp = (event) => {
    drag.up = event.timeStamp;
    window.removeEventListener('pointerdown', onDown, options);
    window.removeEventListener('pointermove', onMove, options);
    window.removeEventListener('pointerup', onUp, options);
    const look = () => {
      const edge = newEdge();
      if (!edge) return requestAnimationFrame(look);
      setTimeout(() => { drag.edgeAt = performance.now(); drag.edgeId = edge.dataset.id; }, 0);
    };
    requestAnimationFrame(look);
  };
  window.addEventListener('pointerdown', onDown, options);
  window.addEventListener('pointermove', onMove, options);
  window.addEventListener('pointerup', onUp, options);
}`;

const DRAG_RESULT = `(() => {
  const drag = window.__lumioDrag;
  const longTasks = window.__lumioCanvas ? window.__lumioCanvas.longTasks : [];
  const moves = drag.moves.filter((move) => move.painted !== null).map((move) => move.painted - move.at).sort((a, b) => a - b);
  const middle = Math.floor(moves.length / 2);
  let median = 0;
  if (moves.length % 2 === 1) median = moves[middle];
  else if (moves.length > 0) median = (moves[middle - 1] + moves[middle]) / 2;
  const during = longTasks.filter((task) => task.start + task.duration >= drag.down && task.start <= drag.edgeAt);
  return {
    pointerDownMs: drag.downPainted - drag.down,
    pointerMoveMaxMs: Math.max(0, ...moves),
    pointerMoveMedianMs: median,
    pointerMoves: moves.length,
    connectMs: drag.edgeAt - drag.up,
    wholeDragMs: drag.edgeAt - drag.down,
    longestTaskMs: Math.max(0, ...during.map((task) => task.duration)),
    edgeId: drag.edgeId,
  };
})()`;

async function handleCentre(page: Page, nodeId: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(`.react-flow__node[data-id="${nodeId}"] .react-flow__handle`).boundingBox();
  if (!box) throw new Error(`The handle of ${nodeId} is not rendered; pick a node inside the canvas viewport.`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * Drags with the mouse from the source handle to the target handle in 20 moves, as a person
 * would, waits until the new edge is painted and returns the timings.
 */
export async function measureDrag(page: Page, plan: DragPlan, timeoutMs = 15_000): Promise<DragTiming> {
  const from = await handleCentre(page, plan.sourceNodeId);
  const to = await handleCentre(page, plan.targetNodeId);
  await page.evaluate(`(${DRAG_PROBE})(${JSON.stringify(plan)})`);

  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 40, from.y + 5, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 15 });
  await page.mouse.up();

  try {
    await page.waitForFunction(() => ((globalThis as ProbeGlobals).__lumioDrag?.edgeAt ?? null) !== null, undefined, { timeout: timeoutMs });
  } catch (error) {
    throw new Error(`No edge from ${plan.sourceNodeId} to ${plan.targetNodeId} appeared within ${timeoutMs} ms of the drag.`, { cause: error });
  }
  return page.evaluate(DRAG_RESULT) as Promise<DragTiming>;
}

/**
 * Distance from the canvas's border, in CSS pixels, inside which a connection drag pans the
 * canvas (React Flow's auto-pan starts 40 px from the border), plus a margin.
 */
const AUTO_PAN_MARGIN = 50;

/**
 * Lists the field nodes whose handle a pointer can reach inside the canvas's visible area,
 * away from the border where a drag would pan the canvas, top to bottom.
 */
export async function visibleFieldNodes(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const margin = ${AUTO_PAN_MARGIN};
    const canvas = document.querySelector('[data-testid=mapping-canvas]').getBoundingClientRect();
    const reachable = [];
    for (const node of document.querySelectorAll('.react-flow__node[data-id^="provider:"], .react-flow__node[data-id^="canonical:"]')) {
      const handle = node.querySelector('.react-flow__handle');
      if (!handle) continue;
      const box = handle.getBoundingClientRect();
      const x = box.x + box.width / 2, y = box.y + box.height / 2;
      const inside = x > canvas.left + margin && x < canvas.right - margin && y > canvas.top + margin && y < canvas.bottom - margin;
      if (inside && document.elementFromPoint(x, y) === handle) reachable.push({ id: node.dataset.id, y });
    }
    return reachable.sort((a, b) => a.y - b.y).map((entry) => entry.id);
  })()`) as Promise<string[]>;
}
