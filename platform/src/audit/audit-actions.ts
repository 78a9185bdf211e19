/**
 * Audit action names of the routes that have one, keyed by `<METHOD> <route pattern>`.
 * Other mutating routes are recorded as their method and pattern, so a route added later
 * is still audited before it gets a name here.
 */
const ACTIONS: Record<string, string> = {
  'POST /v1/integrations/:id/connect': 'integration.connect',
  'POST /v1/integrations/:id/disconnect': 'integration.disconnect',
  'DELETE /v1/integrations/:id': 'integration.delete',
  'POST /v1/integrations/:id/sync': 'integration.sync',
  'POST /v1/integrations/:id/sync/preview': 'integration.sync_preview',
  'PUT /v1/integrations/:id/sync/schedules': 'sync_schedule.update',
  'POST /v1/integrations/:id/test': 'integration.test',
  'POST /v1/integrations/:id/debug': 'integration.debug',
  'POST /v1/integrations/:id/actions/:name': 'integration.action',
  'PUT /v1/integrations/:id/writeback': 'writeback_settings.update',
  'PUT /v1/integrations/:id/webhooks/secrets': 'webhook_settings.update',
  'POST /v1/integrations/:id/webhooks/replay': 'webhook_event.replay',
  'POST /v1/integrations/:id/webhooks/:eventId/replay': 'webhook_event.replay',
  'POST /v1/integrations/:id/webhooks/test': 'webhook.test',
  'PUT /v1/integrations/:id/field-mappings/:object': 'field_mapping.update',
  'POST /v1/integrations/:id/field-mappings/:object/rollback': 'field_mapping.rollback',
  'POST /v1/integrations/:id/field-mappings/:object/restore-default': 'field_mapping.restore_default',
  'POST /v1/integrations/:id/field-mappings/preview': 'field_mapping.preview',
  'POST /v1/records': 'record.write',
  'POST /v1/records/batch': 'record.write_batch',
  'POST /v1/webhooks': 'event_subscription.create',
  'DELETE /v1/webhooks/:id': 'event_subscription.delete',
  'POST /v1/webhooks/:id/deliveries/replay': 'event_delivery.replay',
  'POST /v1/webhooks/:id/deliveries/:deliveryId/replay': 'event_delivery.replay',
  'POST /v1/api-keys': 'api_key.create',
  'DELETE /v1/api-keys/:keyId': 'api_key.revoke',
  'POST /v1/users': 'user.create',
  'PATCH /v1/users/:userId': 'user.update',
  'PUT /v1/users/:userId': 'user.update',
  'DELETE /v1/users/:userId': 'user.delete',
  'POST /v1/session': 'session.login',
  'DELETE /v1/session': 'session.logout',
};

/** Returns the audit action of a request: a name from the table, else `<METHOD> <route pattern>`. */
export function auditActionFor(method: string, routePattern: string): string {
  const key = `${method.toUpperCase()} ${routePattern}`;
  return ACTIONS[key] ?? key;
}
