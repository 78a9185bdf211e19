/** The roles a studio user can hold, from Lumio's permission model. */
export type Role = 'admin' | 'manager' | 'user' | 'integration_manager';

/** The caller of a `/v1` request, authenticated by an API key or by a studio session cookie. */
export interface ApiPrincipal {
  workspaceId: string;
  kind: 'api_key' | 'user';
  /** Set when `kind` is `api_key`. */
  apiKeyId: string | null;
  /** Set when `kind` is `user`. */
  userId: string | null;
  /** The user's role; null for API keys, whose scopes are listed in `permissions`. */
  role: Role | null;
  /** Permissions the caller holds: a key's scopes, or the permissions of the user's role. */
  permissions: string[];
  /** Who acted, for audit entries and `createdBy` columns: `key:<id>` or `user:<id>`. */
  actor: string;
}
