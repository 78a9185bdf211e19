import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTasksSimulator, type Task, type TasksSimulator } from '../simulators/tasks-api/index.js';

// The tasks API simulator the example connector and the authoring tests run against.

const API_KEY = 'sim-test-key-000111222';

describe('tasks API simulator', () => {
  let simulator: TasksSimulator;
  let url: string;

  const get = async (path: string, key: string | null = API_KEY) => {
    const response = await fetch(`${url}${path}`, { headers: key === null ? {} : { 'X-Api-Key': key } });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    simulator = createTasksSimulator({ apiKeys: [API_KEY], seed: { count: 25, seed: 1 } });
    ({ url } = await simulator.start());
  });

  afterAll(async () => {
    await simulator?.close();
  });

  it('rejects a missing or wrong key', async () => {
    const missing = await get('/v1/tasks', null);
    const wrong = await get('/v1/tasks', 'nope');

    expect(missing.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_api_key');
  });

  it('pages with a Link header', async () => {
    const seen: Task[] = [];
    let next: string | null = '/v1/tasks?per_page=10';
    let pages = 0;
    while (next !== null) {
      const page = await get(next);
      expect(page.status).toBe(200);
      expect(page.body.meta.total).toBe(25);
      seen.push(...page.body.data);
      const link = page.headers.get('link');
      const target = link === null ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
      if (target !== undefined) expect(target.startsWith(url)).toBe(true);
      next = target === undefined ? null : target.slice(url.length);
      pages += 1;
    }

    expect(pages).toBe(3);
    expect(seen.map((task) => task.id).sort()).toEqual(simulator.list().map((task) => task.id));
    const order = seen.map((task) => `${task.updated_at} ${task.id}`);
    expect(order).toEqual([...order].sort());
  });

  it('filters by updated_since, inclusive', async () => {
    const times = simulator.list().map((task) => task.updated_at).sort();
    const since = times[20] as string;

    const page = await get(`/v1/tasks?per_page=100&updated_since=${encodeURIComponent(since)}`);

    expect(page.body.data.map((task: Task) => task.updated_at)).toEqual(times.filter((time) => time >= since));
  });

  it('seeds the same tasks for the same seed', () => {
    const again = createTasksSimulator({ seed: { count: 25, seed: 1 } });
    const other = createTasksSimulator({ seed: { count: 25, seed: 2 } });

    expect(again.list()).toEqual(simulator.list());
    expect(other.list()).not.toEqual(simulator.list());
    expect(simulator.list().filter((task) => task.archived).map((task) => task.id)).toEqual(['task_0012', 'task_0024']);
  });

  it('throttles when asked, with Retry-After', async () => {
    simulator.throttleNext(2, 3);

    const first = await get('/v1/me');
    const second = await get('/v1/me');
    const third = await get('/v1/me');

    expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
    expect(first.headers.get('retry-after')).toBe('3');
  });

  it('rejects bad paging values', async () => {
    expect((await get('/v1/tasks?per_page=101')).status).toBe(400);
    expect((await get('/v1/tasks?page=0')).status).toBe(400);
    expect((await get('/v1/tasks?updated_since=yesterday')).status).toBe(400);
  });

  it('gets one task, or 404', async () => {
    const [task] = simulator.list();

    expect((await get(`/v1/tasks/${task?.id}`)).body.data).toEqual(task);
    expect((await get('/v1/tasks/task_9999')).status).toBe(404);
  });
});
