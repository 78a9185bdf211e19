/**
 * The minimum cost per page of any isolated-vm sandbox: copying a page into an isolate and
 * the result back out, with no transform, no worker process and no IPC. It runs in its own
 * process because isolated-vm needs `--no-node-snapshot` on Node.js 20, and the benchmark's
 * process has no such flag. It also times the transform in this process, so the two figures
 * come from the same heap and the same moment. It prints one JSON line:
 * `{ "transformUs": …, "copyUs": … }`, medians of microseconds per page.
 *
 * The copy uses isolated-vm's structured clone (`copy: true`), the cheapest way it offers to
 * move objects between heaps: in a trial on the same pages it took about two thirds of the
 * time of JSON text both ways.
 */
import ivm from 'isolated-vm';

import { shapeContacts } from '../../sandbox/fixtures/shape-contacts.js';
import { median } from '../machine.js';
import { buildContactPages } from './contact-pages.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAGES = Number(process.env.BENCH_PAGES ?? 500);

function microsecondsPerPage(pages: unknown[][], run: (page: unknown[]) => unknown): number {
  const started = process.hrtime.bigint();
  for (let index = 0; index < PAGES; index += 1) run(pages[index % pages.length]!);
  return Number(process.hrtime.bigint() - started) / 1000 / PAGES;
}

function main(): void {
  const pages = buildContactPages();
  const isolate = new ivm.Isolate({ memoryLimit: 64 });
  const context = isolate.createContextSync();
  const identity = context.evalSync('(function identity(records) { return records; })', { reference: true }) as ivm.Reference;
  const copyBothWays = (page: unknown[]) => identity.applySync(undefined, [page], { arguments: { copy: true }, result: { copy: true } });

  microsecondsPerPage(pages, shapeContacts);
  microsecondsPerPage(pages, copyBothWays);
  const transformUs: number[] = [];
  const copyUs: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    transformUs.push(microsecondsPerPage(pages, shapeContacts));
    copyUs.push(microsecondsPerPage(pages, copyBothWays));
  }

  isolate.dispose();
  console.log(JSON.stringify({ transformUs: median(transformUs), copyUs: median(copyUs) }));
}

main();
