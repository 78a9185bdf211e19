import { LumioError } from '../../errors/index.js';
import type { CredentialEnvelope } from '../../security/index.js';
import { isForeignKeyViolation } from '../database-errors.js';
import type { StoreContext } from '../store-context.js';
import { parseJson, readInteger, serializeJson } from '../values.js';
import { upsertCursorSql } from './event-delivery-rows.js';

/** Maximum number of event subscriptions per workspace. */
export const MAX_SUBSCRIPTIONS_PER_WORKSPACE = 100;

/** A URL that receives Lumio's own events of the listed types. */
export interface StoredEventSubscription {
  /** `sub_…`, time-ordered. */
  id: string;
  workspaceId: string;
  url: string;
  /** Event types and patterns such as `record.*`, as the caller gave them. */
  events: string[];
  /** The signing secret, encrypted with the credential cipher for `${id}#events`. */
  secret: CredentialEnvelope;
  /** Epoch milliseconds. The subscription receives only events created at or after this time. */
  createdAt: number;
}

export interface CreateEventSubscriptionInput {
  /** Made by the caller with `createTimeOrderedId('sub')`, because the secret envelope is bound to it. */
  id: string;
  workspaceId: string;
  url: string;
  events: string[];
  secret: CredentialEnvelope;
}

/** Subscriptions to Lumio's own events. The caller validates URLs and event types. */
export interface EventSubscriptionRepository {
  /**
   * Stores a subscription, created now. When it is the workspace's only subscription, the
   * workspace's dispatch cursor moves to its newest event, so the dispatcher does not
   * read the events written while the workspace had no subscriber. Raises
   * EVENT_SUBSCRIPTION_LIMIT (409) when the workspace has MAX_SUBSCRIPTIONS_PER_WORKSPACE
   * already, and WORKSPACE_NOT_FOUND (404) for an unknown workspace.
   */
  create(input: CreateEventSubscriptionInput): Promise<StoredEventSubscription>;
  /** Lists a workspace's subscriptions, oldest first. */
  list(workspaceId: string): Promise<StoredEventSubscription[]>;
  get(workspaceId: string, id: string): Promise<StoredEventSubscription | null>;
  /** Finds a subscription by id alone, for the dispatcher, which works across workspaces. */
  findById(id: string): Promise<StoredEventSubscription | null>;
  /** Lists every subscription of every workspace, oldest first, for the dispatcher's fan-out. */
  listAll(): Promise<StoredEventSubscription[]>;
  /** Deletes a subscription and its deliveries. Returns false when the workspace has no such subscription. */
  delete(workspaceId: string, id: string): Promise<boolean>;
}

interface EventSubscriptionRow {
  id: string;
  workspace_id: string;
  url: string;
  events: unknown;
  secret_key_id: string;
  secret_ciphertext: string;
  secret_nonce: string;
  secret_auth_tag: string;
  created_at: unknown;
}

function toSubscription(row: EventSubscriptionRow): StoredEventSubscription {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    url: row.url,
    events: parseJson(row.events) as string[],
    secret: { keyId: row.secret_key_id, ciphertext: row.secret_ciphertext, nonce: row.secret_nonce, authTag: row.secret_auth_tag },
    createdAt: readInteger(row.created_at),
  };
}

export function createEventSubscriptionRepository({ knex, dialect }: StoreContext): EventSubscriptionRepository {
  return {
    async create(input) {
      const createdAt = Date.now();
      const row: EventSubscriptionRow = {
        id: input.id,
        workspace_id: input.workspaceId,
        url: input.url,
        events: serializeJson(input.events, dialect),
        secret_key_id: input.secret.keyId,
        secret_ciphertext: input.secret.ciphertext,
        secret_nonce: input.secret.nonce,
        secret_auth_tag: input.secret.authTag,
        created_at: createdAt,
      };

      try {
        await knex.transaction(async (transaction) => {
          const counted = await transaction('event_subscriptions').where({ workspace_id: input.workspaceId }).count<{ count: unknown }[]>({ count: '*' }).first();
          const existing = readInteger(counted?.count);
          if (existing >= MAX_SUBSCRIPTIONS_PER_WORKSPACE) {
            throw new LumioError('EVENT_SUBSCRIPTION_LIMIT', `This workspace has ${existing} event subscriptions, the maximum; delete one before adding another.`, {
              status: 409,
              fault: 'caller',
              details: { maximum: MAX_SUBSCRIPTIONS_PER_WORKSPACE },
            });
          }
          await transaction('event_subscriptions').insert(row);

          if (existing === 0) {
            const newest = await transaction('lumio_events').where({ workspace_id: input.workspaceId }).max<{ id: unknown }[]>({ id: 'id' }).first();
            const newestId = newest?.id === null || newest?.id === undefined ? null : String(newest.id);
            await transaction.raw(upsertCursorSql, [input.workspaceId, newestId, createdAt]);
          }
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new LumioError('WORKSPACE_NOT_FOUND', `Workspace "${input.workspaceId}" does not exist; create it before subscribing to its events.`, { status: 404, fault: 'caller', cause: error });
        }
        throw error;
      }
      return toSubscription(row);
    },

    async list(workspaceId) {
      const rows: EventSubscriptionRow[] = await knex('event_subscriptions').where({ workspace_id: workspaceId }).orderBy('id');
      return rows.map(toSubscription);
    },

    async get(workspaceId, id) {
      const row: EventSubscriptionRow | undefined = await knex('event_subscriptions').where({ id, workspace_id: workspaceId }).first();
      return row ? toSubscription(row) : null;
    },

    async findById(id) {
      const row: EventSubscriptionRow | undefined = await knex('event_subscriptions').where({ id }).first();
      return row ? toSubscription(row) : null;
    },

    async listAll() {
      const rows: EventSubscriptionRow[] = await knex('event_subscriptions').orderBy('id');
      return rows.map(toSubscription);
    },

    async delete(workspaceId, id) {
      const deleted = await knex('event_subscriptions').where({ id, workspace_id: workspaceId }).delete();
      return deleted > 0;
    },
  };
}
