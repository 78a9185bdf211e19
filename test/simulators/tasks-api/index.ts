// Simulator of a small sales task board API, for the example-tasks connector and the
// connector authoring tests. simulator.ts lists what it serves.
export { createTasksSimulator, DEFAULT_PER_PAGE, MAX_PER_PAGE } from './simulator.js';
export type { TasksSimulator, TasksSimulatorOptions } from './simulator.js';
export { formatTime, seedTasks } from './tasks-data.js';
export type { Task, TaskPerson, TaskSeedOptions } from './tasks-data.js';
