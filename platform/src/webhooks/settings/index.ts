export { WebhookSettingsService, checkAllowedIps, checkSecrets, checkVerifyToken, isAddressAllowed, MAX_WEBHOOK_SECRETS } from './webhook-settings.js';
export type { LoadedWebhookSettings, WebhookSettings } from './webhook-settings.js';
