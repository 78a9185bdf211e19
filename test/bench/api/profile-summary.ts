/**
 * Prints the functions with the most self time in a V8 CPU profile (`--cpu-prof`), such as the
 * profiles BENCH_CPU_PROFILE_DIR makes the benchmarks write.
 *
 *   node --import tsx test/bench/api/profile-summary.ts <file.cpuprofile> [count]
 *
 * Self time is the time a function was on top of the stack, summed over every call site. The
 * listing also sums self time per package under node_modules, per platform folder and for
 * Node's own code, which shows where whole libraries cost more than any single function.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds between a sample and the one before it. */
  timeDeltas: number[];
}

const file = process.argv[2];
const count = Number(process.argv[3] ?? 25);
if (!file) {
  console.error('Usage: profile-summary.ts <file.cpuprofile> [count]');
  process.exit(2);
}

const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));

// Each sample's delta is the time since the previous sample, charged to the sampled node.
const selfMicros = new Map<number, number>();
profile.samples.forEach((nodeId, index) => selfMicros.set(nodeId, (selfMicros.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const totalMicros = [...selfMicros.values()].reduce((sum, micros) => sum + micros, 0);

const byFunction = new Map<string, number>();
const byArea = new Map<string, number>();
for (const [nodeId, micros] of selfMicros) {
  const frame = nodesById.get(nodeId)!.callFrame;
  const location = frame.url ? `${shortenUrl(frame.url)}:${frame.lineNumber + 1}` : '(native)';
  const key = `${frame.functionName || '(anonymous)'} ${location}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  byArea.set(areaOf(frame), (byArea.get(areaOf(frame)) ?? 0) + micros);
}

console.log(`${file}: ${(totalMicros / 1e6).toFixed(1)} s sampled`);
printTop('self time by function', byFunction, count);
printTop('self time by package or folder', byArea, count);

function printTop(title: string, totals: Map<string, number>, limit: number): void {
  console.log(`\n${title}:`);
  const sorted = [...totals].sort((a, b) => b[1] - a[1]).slice(0, limit);
  for (const [key, micros] of sorted) console.log(`${((100 * micros) / totalMicros).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${key}`);
}

function shortenUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + 1);
  const source = url.indexOf('/platform/src/');
  return source >= 0 ? url.slice(source + 1) : url.replace(/^file:\/\//, '');
}

/** Groups a frame by npm package, by folder under platform/src, or as Node's own code or V8 itself. */
function areaOf(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (frame.url.startsWith('node:')) return 'node internals';

  const modules = frame.url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = frame.url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const source = frame.url.indexOf('/platform/src/');
  if (source >= 0) return path.dirname(frame.url.slice(source + 1));
  return shortenUrl(frame.url);
}
