import { LumioError } from '../errors/index.js';

// Errors both backends raise for the same misuse.

export function jobIdConflictError(id: string, existingName: string, requestedName: string): LumioError {
  return new LumioError('JOB_ID_CONFLICT', `The job id "${id}" already belongs to a job named "${existingName}", not "${requestedName}"; job ids are unique across names, so include the name in the id.`, {
    status: 409,
    fault: 'caller',
    details: { jobId: id, existingName, requestedName },
  });
}

export function jobQueueClosedError(): LumioError {
  return new LumioError('JOB_QUEUE_CLOSED', 'The job queue is closed; open a new queue instance to enqueue or process jobs.', { status: 503, fault: 'platform' });
}

export function handlerExistsError(name: string): LumioError {
  return new LumioError('JOB_HANDLER_EXISTS', `A handler for jobs named "${name}" is already registered on this queue instance; register each name once, with the concurrency it needs.`, {
    status: 500,
    fault: 'platform',
    details: { name },
  });
}
