import type { Role } from '../../access/principal.js';
import { LumioError } from '../../errors/index.js';
import { isForeignKeyViolation, isUniqueViolation } from '../database-errors.js';
import { createTimeOrderedId } from '../ids.js';
import type { StoreContext } from '../store-context.js';
import { nowIso, readRequiredTimestamp, readTimestamp, validateLimit } from '../values.js';
import { decodeCursor, encodeCursor } from './webhook-event-rows.js';

/** A studio user as the API shows it: never the password hash. */
export interface StoredUser {
  /** `usr_…`, time-ordered. */
  id: string;
  workspaceId: string;
  /** Trimmed and in lowercase. */
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  lastLoginAt: string | null;
}

/** A user with the scrypt hash of the password, read only to check a login. */
export interface UserWithPasswordHash extends StoredUser {
  passwordHash: string;
}

export interface CreateUserInput {
  workspaceId: string;
  /** Stored as given; the caller trims and lowercases it. */
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

export interface ListUsersOptions {
  /** 1 to MAX_USER_PAGE_SIZE. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface UserPage {
  users: StoredUser[];
  nextCursor: string | null;
}

export interface UserRepository {
  /** Raises USER_EMAIL_EXISTS (409) when any workspace has a user with the email, and WORKSPACE_NOT_FOUND (404) for an unknown workspace. */
  create(input: CreateUserInput): Promise<StoredUser>;
  get(workspaceId: string, id: string): Promise<StoredUser | null>;
  /** Finds a user of any workspace by email, with the password hash, for a login. */
  findForLogin(email: string): Promise<UserWithPasswordHash | null>;
  /** Lists a workspace's users, oldest first. */
  list(workspaceId: string, options: ListUsersOptions): Promise<UserPage>;
  count(workspaceId: string): Promise<number>;
  /** Deletes the user and, through the foreign key, their sessions. Returns false when the workspace has no such user. */
  delete(workspaceId: string, id: string): Promise<boolean>;
  /** Stores the time of a successful login, and a new hash when the password was hashed again with newer parameters. Returns the time. */
  recordLogin(id: string, passwordHash?: string): Promise<string>;
}

export const MAX_USER_PAGE_SIZE = 200;

interface UserRow {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  created_at: unknown;
  last_login_at: unknown;
}

function toStoredUser(row: UserRow): StoredUser {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    createdAt: readRequiredTimestamp(row.created_at),
    lastLoginAt: readTimestamp(row.last_login_at),
  };
}

const PUBLIC_COLUMNS = ['id', 'workspace_id', 'email', 'name', 'role', 'created_at', 'last_login_at'];

export function createUserRepository({ knex }: StoreContext): UserRepository {
  return {
    async create(input) {
      const user: StoredUser = {
        id: createTimeOrderedId('usr'),
        workspaceId: input.workspaceId,
        email: input.email,
        name: input.name,
        role: input.role,
        createdAt: nowIso(),
        lastLoginAt: null,
      };

      try {
        await knex('users').insert({
          id: user.id,
          workspace_id: user.workspaceId,
          email: user.email,
          name: user.name,
          role: user.role,
          password_hash: input.passwordHash,
          created_at: user.createdAt,
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new LumioError('USER_EMAIL_EXISTS', `A user with the email ${input.email} already exists; choose another email, or delete that user first.`, {
            status: 409,
            fault: 'caller',
            details: { field: 'email' },
            cause: error,
          });
        }
        if (isForeignKeyViolation(error)) {
          throw new LumioError('WORKSPACE_NOT_FOUND', `Workspace "${input.workspaceId}" does not exist; create it before adding users.`, { status: 404, fault: 'caller', cause: error });
        }
        throw error;
      }
      return user;
    },

    async get(workspaceId, id) {
      const row = (await knex('users').select(PUBLIC_COLUMNS).where({ workspace_id: workspaceId, id }).first()) as UserRow | undefined;
      return row ? toStoredUser(row) : null;
    },

    async findForLogin(email) {
      const row = await knex<UserRow>('users').where({ email }).first();
      return row ? { ...toStoredUser(row), passwordHash: row.password_hash } : null;
    },

    async list(workspaceId, options) {
      validateLimit(options.limit, MAX_USER_PAGE_SIZE);

      let query = knex('users').select(PUBLIC_COLUMNS).where({ workspace_id: workspaceId }).orderBy('id').limit(options.limit + 1);
      if (options.cursor) query = query.where('id', '>', decodeCursor(options.cursor, 'usr'));

      const rows = (await query) as UserRow[];
      const users = rows.slice(0, options.limit).map(toStoredUser);
      const last = users.at(-1);
      return { users, nextCursor: rows.length > options.limit && last ? encodeCursor(last.id) : null };
    },

    async count(workspaceId) {
      const [row] = await knex('users').where({ workspace_id: workspaceId }).count({ count: '*' });
      return Number(row?.count ?? 0);
    },

    async delete(workspaceId, id) {
      const deleted = await knex('users').where({ workspace_id: workspaceId, id }).delete();
      return deleted > 0;
    },

    async recordLogin(id, passwordHash) {
      const loggedInAt = nowIso();
      const changes: Record<string, string> = { last_login_at: loggedInAt };
      if (passwordHash) changes.password_hash = passwordHash;
      await knex('users').where({ id }).update(changes);
      return loggedInAt;
    },
  };
}
