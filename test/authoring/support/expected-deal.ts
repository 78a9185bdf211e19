import type { Task } from '../../simulators/tasks-api/index.js';

const STATUS_TO_DEAL: Record<Task['status'], string> = { open: 'open', done: 'won', cancelled: 'lost' };

/**
 * What the example-tasks connector should make of a task (plugin, then default mapping),
 * computed here from the simulator's data without the connector's code.
 */
export function expectedDeal(task: Task): Record<string, unknown> {
  const fields = Object.fromEntries(task.custom_fields.map((field) => [field.name, field.value]));
  return {
    name: task.title.trim(),
    stage: task.column,
    status: STATUS_TO_DEAL[task.status],
    amount: task.value_cents / 100,
    currency: task.currency,
    closeDate: task.due_on,
    ownerEmail: task.assignee.email.trim().toLowerCase(),
    source: fields.origem,
    customFields: { customer: task.customer.name, customerPhone: task.customer.phone, priority: fields.prioridade },
    createdAt: task.created_at,
    updatedAt: task.updated_at,
  };
}
