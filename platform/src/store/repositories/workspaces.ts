import { LumioError } from '../../errors/index.js';
import { isUniqueViolation } from '../database-errors.js';
import { createRandomId } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { nowIso, readRequiredTimestamp } from '../values.js';

export interface Workspace {
  id: string;
  name: string;
  createdAt: string;
}

export interface CreateWorkspaceInput {
  name: string;
  /** A fixed id instead of a generated `ws_…` id. */
  id?: string;
}

export interface WorkspaceRepository {
  create(input: CreateWorkspaceInput): Promise<Workspace>;
  get(id: string): Promise<Workspace | null>;
  /** Returns the workspace `ws_default` and creates it on first use. Safe to call concurrently. */
  getOrCreateDefault(): Promise<Workspace>;
}

/** Id of the workspace a single-tenant installation uses. */
export const DEFAULT_WORKSPACE_ID = 'ws_default';
const DEFAULT_WORKSPACE_NAME = 'Default';

interface WorkspaceRow {
  id: string;
  name: string;
  created_at: unknown;
}

function toWorkspace(row: WorkspaceRow): Workspace {
  return { id: row.id, name: row.name, createdAt: readRequiredTimestamp(row.created_at) };
}

export function createWorkspaceRepository({ knex }: StoreContext): WorkspaceRepository {
  async function get(id: string): Promise<Workspace | null> {
    const row = await knex<WorkspaceRow>('workspaces').where({ id }).first();
    return row ? toWorkspace(row) : null;
  }

  return {
    async create(input) {
      if (input.name.trim() === '') {
        throw new LumioError('WORKSPACE_NAME_INVALID', 'The workspace name is empty; give the workspace a name.', { status: 400, fault: 'caller' });
      }

      const workspace: Workspace = { id: input.id ?? createRandomId('ws'), name: input.name, createdAt: nowIso() };
      try {
        await knex('workspaces').insert({ id: workspace.id, name: workspace.name, created_at: workspace.createdAt });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new LumioError('WORKSPACE_EXISTS', `A workspace with id "${workspace.id}" already exists; choose another id.`, { status: 409, fault: 'caller', cause: error });
        }
        throw error;
      }
      return workspace;
    },

    get,

    async getOrCreateDefault() {
      await knex('workspaces')
        .insert({ id: DEFAULT_WORKSPACE_ID, name: DEFAULT_WORKSPACE_NAME, created_at: nowIso() })
        .onConflict('id')
        .ignore();
      const workspace = await get(DEFAULT_WORKSPACE_ID);
      if (!workspace) {
        throw new LumioError('STORE_INVALID_ROW', `The default workspace ${DEFAULT_WORKSPACE_ID} could not be read back after it was created; check the database.`);
      }
      return workspace;
    },
  };
}
