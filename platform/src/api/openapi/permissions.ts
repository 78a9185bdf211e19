const READ_ONLY_POSTS = [/^\/v1\/integrations\/[^/]+\/sync\/preview$/, /^\/v1\/integrations\/[^/]+\/field-mappings\/preview$/, /^\/v1\/integrations\/[^/]+\/test$/];

/**
 * Returns the permission a `/v1` route needs, as the access rules define it: reads need
 * integrations.read, connect and disconnect their own permission, deletes integrations.delete,
 * other writes integrations.write, event subscriptions webhooks.manage, and keys, users and the
 * audit log api_keys.manage. `path` is a template or a request path. The result is null for
 * routes that need no permission.
 */
export function permissionFor(method: string, path: string): string | null {
  const verb = method.toUpperCase();
  const reads = verb === 'GET' || verb === 'HEAD';

  if (path.startsWith('/v1/integrations') || path.startsWith('/v1/records')) {
    if (reads) return 'integrations.read';
    if (verb === 'POST' && path.endsWith('/connect')) return 'integrations.connect';
    if (verb === 'POST' && path.endsWith('/disconnect')) return 'integrations.disconnect';
    if (verb === 'DELETE') return 'integrations.delete';
    // These POSTs read and change nothing.
    if (verb === 'POST' && READ_ONLY_POSTS.some((pattern) => pattern.test(path))) return 'integrations.read';
    return 'integrations.write';
  }
  if (path.startsWith('/v1/webhooks')) return reads ? 'integrations.read' : 'webhooks.manage';
  if (path.startsWith('/v1/api-keys') || path.startsWith('/v1/users') || path.startsWith('/v1/audit-log')) return 'api_keys.manage';
  return null;
}
