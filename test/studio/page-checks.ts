import type { Page } from 'playwright-core';

import { en } from '../../studio/src/i18n/messages-en.js';
import { ptBR } from '../../studio/src/i18n/messages-pt-BR.js';

export interface TextBox {
  text: string;
  /** Position of the text node in document order; one node may have several boxes. */
  node: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

// Runs in the page: lists the boxes of the visible text inside the elements matching
// `selector`, each clipped to the ancestors that clip their content (scroll areas, the
// canvas viewport, ellipsis), so hidden overflow does not count. Kept as a string because
// the test's TypeScript setup has no DOM types.
const COLLECT_TEXT_BOXES = `(selector) => {
  const boxes = [];
  const visible = (element) => {
    for (let current = element; current; current = current.parentElement) {
      const style = getComputedStyle(current);
      if (style.display === 'none' || style.visibility === 'hidden' || Number(style.opacity) === 0) return false;
      if (current.classList.contains('visually-hidden')) return false;
    }
    return true;
  };
  const clipOf = (element) => {
    let clip = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
    for (let current = element; current; current = current.parentElement) {
      const style = getComputedStyle(current);
      if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
        const r = current.getBoundingClientRect();
        clip = { left: Math.max(clip.left, r.left), top: Math.max(clip.top, r.top), right: Math.min(clip.right, r.right), bottom: Math.min(clip.bottom, r.bottom) };
      }
    }
    return clip;
  };
  let index = 0;
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      index += 1;
      const text = (node.textContent || '').trim();
      if (!text || !node.parentElement || !visible(node.parentElement)) continue;
      const clip = clipOf(node.parentElement);
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        const left = Math.max(rect.left, clip.left), top = Math.max(rect.top, clip.top);
        const right = Math.min(rect.right, clip.right), bottom = Math.min(rect.bottom, clip.bottom);
        if (right - left > 1 && bottom - top > 1) boxes.push({ text, node: index, x: left, y: top, width: right - left, height: bottom - top });
      }
    }
  }
  return boxes;
}`;

/** Returns the visible text boxes inside `selector`, clipped to what the page shows. */
export async function visibleTextBoxes(page: Page, selector: string): Promise<TextBox[]> {
  return page.evaluate(`(${COLLECT_TEXT_BOXES})(${JSON.stringify(selector)})`) as Promise<TextBox[]>;
}

/** Lists pairs of visible text boxes that overlap by more than a pixel each way. */
export async function overlappingLabels(page: Page, selector: string): Promise<string[]> {
  const boxes = await visibleTextBoxes(page, selector);
  const overlaps: string[] = [];
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const a = boxes[i] as TextBox;
      const b = boxes[j] as TextBox;
      if (a.node === b.node) continue;
      const dx = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const dy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (dx > 1 && dy > 1) overlaps.push(`"${a.text}" overlaps "${b.text}" at ${Math.round(a.x)},${Math.round(a.y)}`);
    }
  }
  return overlaps;
}

/**
 * Lists visible texts that are a message key or an English message (one that differs from
 * its Portuguese one), which means a string the pt-BR page failed to translate.
 */
export async function untranslatedTexts(page: Page): Promise<string[]> {
  const texts = new Set((await visibleTextBoxes(page, 'body')).map((box) => box.text));
  const keys = new Set(Object.keys(ptBR));
  const english = new Set(
    Object.entries(en)
      .filter(([key, text]) => text !== ptBR[key as keyof typeof ptBR] && !text.includes('{'))
      .map(([, text]) => text),
  );
  return [...texts].filter((text) => keys.has(text) || english.has(text));
}
