export { WebhookSettingsService, checkAllowedIps, checkSecrets, isAddressAllowed, MAX_WEBHOOK_SECRETS } from './webhook-settings.js';
export type { LoadedWebhookSettings, WebhookSettings } from './webhook-settings.js';
