import { isLumioError } from '../../errors/index.js';
import { parsePayload, readSalesforceOrganizationId } from '../payload/index.js';
import { secretMissing } from './failures.js';
import type { VerificationResult, WebhookScheme } from './scheme-types.js';
import { credentialEquals } from './secret-match.js';
import { usableSecrets } from './verify-input.js';

/** A Salesforce id: 15 case-sensitive characters, or 18 with a case-insensitive checksum suffix. */
const SALESFORCE_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
const CASE_SENSITIVE_LENGTH = 15;

/**
 * Salesforce outbound messages (SOAP) carry no signature. Each secret is the organisation id
 * of a Salesforce org, and the message's `OrganizationId` must name one of them. Ids are
 * compared on their first 15 characters, case-sensitively, so the 15- and 18-character
 * forms of the same id match. An org id is not secret, so this check only keeps other orgs'
 * messages out. The unguessable endpoint token in the webhook URL is what keeps strangers out.
 */
export const salesforceOutboundScheme: WebhookScheme = {
  name: 'salesforce-outbound',

  acceptedContentTypes: () => ['xml'],

  verify({ request, secrets }) {
    const organizationIds = usableSecrets(secrets);
    if (organizationIds.length === 0) return secretMissing();

    const presented = readOrganizationId(request.body);
    if (presented === undefined) return mismatch('The body is not a Salesforce outbound message with an OrganizationId.');
    if (!SALESFORCE_ID.test(presented)) return mismatch('The OrganizationId of the outbound message is not a 15- or 18-character Salesforce id.');

    const presentedKey = Buffer.from(presented.slice(0, CASE_SENSITIVE_LENGTH), 'utf8');
    const matches = organizationIds.some((id) => SALESFORCE_ID.test(id) && credentialEquals(presentedKey, id.slice(0, CASE_SENSITIVE_LENGTH)));
    if (!matches) return mismatch("The OrganizationId of the outbound message matches none of the connection's Salesforce organisation ids.");

    return { ok: true };
  },

  // The organisation id travels in the body, which the caller builds, so there is nothing to add.
  sign: ({ url }) => ({ headers: {}, url }),
};

function readOrganizationId(body: Buffer): string | undefined {
  try {
    return readSalesforceOrganizationId(parsePayload('xml', body));
  } catch (error) {
    if (isLumioError(error)) return undefined;
    throw error;
  }
}

function mismatch(message: string): VerificationResult {
  return { ok: false, reason: 'credentials_mismatch', message };
}
