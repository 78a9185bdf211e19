import { randomBytes } from 'node:crypto';

import type { CanonicalObjectName, ConnectorManifest, WebhookDefinition, WebhookSignature } from '@lumio/plugin-sdk';

import type { Delivery } from './deliveries.js';
import { fixtureManifest, messageFields, type FixtureObject } from './fixture-connectors.js';
import * as sign from './signers.js';
import { formBody, jsonBody, xmlText, type WireStyle } from './wire-encoding.js';

/** One event a test sends; `recordId` is numeric text because some providers send numeric ids. */
export interface CaseEvent {
  seq: number;
  eventId: string;
  recordId: string;
  text: string;
}

export interface BuildInput {
  /** The connection's webhook URL. */
  url: string;
  event: CaseEvent;
  secret: string;
  /** Signing time in epoch milliseconds. */
  now: number;
  wire: WireStyle;
}

/** Ways to break a valid delivery's credential. */
export interface CredentialForgery {
  /** Reason the router gives for a delivery without the credential. */
  missingReason: string;
  remove(delivery: Delivery): Delivery;
  /** Reason the router gives for a credential of the wrong length or shape. */
  malformedReason: string;
  malform(delivery: Delivery): Delivery;
  /** The credential with one character changed; used where the body itself is not signed. */
  alter(delivery: Delivery): Delivery;
}

export interface SchemeCase {
  label: string;
  manifest: ConnectorManifest;
  secret: string;
  wrongSecret: string;
  /** More secrets stored with the connection. */
  extraSecrets?: string[];
  /** Handshake verify token stored apart from the secrets, such as Meta's. */
  verifyToken?: string;
  /** Canonical object the event becomes, and the field that receives the event's text. */
  record: { canonicalObject: CanonicalObjectName; textField: string };
  /** False for schemes that check a credential but leave the body unsigned. */
  signsBody: boolean;
  /** Set for schemes that sign a timestamp. */
  timestamp?: { toleranceSeconds: number };
  /** True when a 2xx reply is Salesforce's SOAP acknowledgement rather than JSON. */
  soapAcknowledgement?: boolean;
  build(input: BuildInput): Delivery;
  credential: CredentialForgery;
  /** Further forgeries this scheme must reject, each with the reason expected. */
  extraForgeries?: Array<{ label: string; reason: string; forge(valid: Delivery): Delivery }>;
}

const HEX_62 = 'ab'.repeat(31);
const BASE64_31_BYTES = Buffer.alloc(31, 7).toString('base64');
const BASE64_19_BYTES = Buffer.alloc(19, 7).toString('base64');
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

const MESSAGES: FixtureObject = { key: 'messages', mapping: { canonicalObject: 'message', fields: messageFields('message.text') } };
const MESSAGE_RECORD = { canonicalObject: 'message', textField: 'body' } as const;

/** Webhook settings shared by cases that send the generic message event. */
function genericWebhooks(signature: WebhookSignature, extra: Partial<WebhookDefinition> = {}): WebhookDefinition {
  return {
    signature,
    contentType: 'json',
    eventId: { in: 'body', path: 'id' },
    eventType: { in: 'body', path: 'type' },
    routes: [{ eventType: 'message.*', object: 'messages', action: 'upsert', idPath: 'message.id' }],
    ...extra,
  };
}

function genericPayload(event: CaseEvent): unknown {
  return { id: event.eventId, type: 'message.updated', message: { id: event.recordId, text: event.text } };
}

function withoutHeader(delivery: Delivery, name: string): Delivery {
  const headers = { ...delivery.headers };
  delete headers[name];
  return { ...delivery, headers };
}

/** Changes the character at `index` (from the end when negative) to another of the same class. */
function changeCharacter(text: string, index: number): string {
  const at = index < 0 ? text.length + index : index;
  const current = text[at] ?? '';
  let replacement = current === 'x' ? 'y' : 'x';
  if (/[0-9]/.test(current)) replacement = current === '7' ? '8' : '7';
  return text.slice(0, at) + replacement + text.slice(at + 1);
}

/** Builds the forgeries of a credential carried by one header; `malform` rewrites its value into the wrong length. */
function headerCredential(name: string, malform: (value: string) => string): CredentialForgery {
  return {
    missingReason: 'header_missing',
    remove: (delivery) => withoutHeader(delivery, name),
    malformedReason: 'header_malformed',
    malform: (delivery) => ({ ...delivery, headers: { ...delivery.headers, [name]: malform(delivery.headers[name] ?? '') } }),
    alter: (delivery) => ({ ...delivery, headers: { ...delivery.headers, [name]: changeCharacter(delivery.headers[name] ?? '', -2) } }),
  };
}

/** HTTP Basic credentials; the malformed header decodes to text without a colon. */
const BASIC_CREDENTIAL: CredentialForgery = {
  missingReason: 'header_missing',
  remove: (delivery) => withoutHeader(delivery, 'authorization'),
  malformedReason: 'header_malformed',
  malform: (delivery) => ({ ...delivery, headers: { ...delivery.headers, authorization: sign.basicAuthorization('no-colon-here') } }),
  alter: (delivery) => {
    const decoded = Buffer.from((delivery.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
    return { ...delivery, headers: { ...delivery.headers, authorization: sign.basicAuthorization(changeCharacter(decoded, -1)) } };
  },
};

/** A secret in the URL's `secret` query parameter. */
const URL_SECRET_CREDENTIAL: CredentialForgery = {
  missingReason: 'credentials_mismatch',
  remove: (delivery) => ({ ...delivery, url: replaceSecret(delivery.url, null) }),
  malformedReason: 'credentials_mismatch',
  malform: (delivery) => ({ ...delivery, url: replaceSecret(delivery.url, 'x') }),
  alter: (delivery) => ({ ...delivery, url: replaceSecret(delivery.url, changeCharacter(new URL(delivery.url).searchParams.get('secret') ?? '', 0)) }),
};

function replaceSecret(url: string, secret: string | null): string {
  const base = url.slice(0, url.indexOf('?'));
  return secret === null ? base : sign.withSecretParameter(base, secret);
}

let nextSeq = 0;

/** Returns a new event with unique ids; `text` should contain "tamper" when a test changes a byte of the body. */
export function newEvent(text = 'Hello from a tamper test'): CaseEvent {
  nextSeq += 1;
  return { seq: nextSeq, eventId: `evt_${nextSeq}_${randomBytes(4).toString('hex')}`, recordId: String(70_000 + nextSeq), text };
}

/** Generates a Standard Webhooks secret: `whsec_` and base64 of random bytes. */
function standardSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

const shopify: SchemeCase = {
  label: 'shopify',
  manifest: fixtureManifest({
    id: 'hook-shopify',
    webhooks: {
      signature: { scheme: 'shopify' },
      contentType: 'json',
      eventId: { in: 'header', path: 'X-Shopify-Webhook-Id' },
      eventType: { in: 'header', path: 'X-Shopify-Topic' },
      routes: [{ eventType: 'orders/updated', object: 'orders', action: 'upsert', idPath: 'id' }],
    },
    objects: [
      {
        key: 'orders',
        mapping: {
          canonicalObject: 'order',
          fields: [
            { target: 'orderNumber', source: 'name' },
            { target: 'status', constant: 'processing' },
            { target: 'currency', source: 'currency' },
            { target: 'total', source: 'total_price', transforms: [{ type: 'convert', to: 'number' }] },
            { target: 'notes', source: 'note' },
          ],
        },
      },
    ],
  }),
  secret: 'shpss_0c3b1f9a7d2e',
  wrongSecret: 'shpss_not-the-secret',
  record: { canonicalObject: 'order', textField: 'notes' },
  signsBody: true,
  build({ url, event, secret, wire }) {
    const body = jsonBody({ id: Number(event.recordId), name: `#${event.seq}`, currency: 'BRL', total_price: '199.90', note: event.text }, wire);
    return {
      url,
      body,
      headers: {
        'content-type': JSON_TYPE,
        'x-shopify-hmac-sha256': sign.shopifySignature(secret, body),
        'x-shopify-webhook-id': event.eventId,
        'x-shopify-topic': 'orders/updated',
      },
    };
  },
  credential: headerCredential('x-shopify-hmac-sha256', () => BASE64_31_BYTES),
};

/** HubSpot sends a JSON array of events; v1 and v2 differ only in what the hash covers. */
function hubspotHashCase(version: 'v1' | 'v2'): SchemeCase {
  return {
    label: `hubspot-${version}`,
    manifest: fixtureManifest({
      id: `hook-hubspot-${version}`,
      webhooks: {
        signature: { scheme: `hubspot-${version}` },
        contentType: 'json',
        events: { path: '' },
        eventId: { in: 'body', path: 'eventId' },
        eventType: { in: 'body', path: 'subscriptionType' },
        routes: [{ eventType: 'message.*', object: 'messages', action: 'upsert', idPath: 'objectId' }],
      },
      objects: [{ key: 'messages', mapping: { canonicalObject: 'message', fields: messageFields('propertyValue') } }],
    }),
    secret: `hubspot-client-secret-${version}`,
    wrongSecret: 'hubspot-client-secret-old',
    record: MESSAGE_RECORD,
    signsBody: true,
    build({ url, event, secret, wire }) {
      const body = jsonBody([{ eventId: event.seq, subscriptionType: 'message.propertyChange', objectId: Number(event.recordId), propertyValue: event.text }], wire);
      const signature = version === 'v1' ? sign.hubspotV1Signature(secret, body) : sign.hubspotV2Signature(secret, 'POST', url, body);
      return { url, body, headers: { 'content-type': JSON_TYPE, 'x-hubspot-signature': signature, 'x-hubspot-signature-version': version } };
    },
    credential: headerCredential('x-hubspot-signature', () => HEX_62),
    extraForgeries: [
      {
        label: 'a signature version other than the declared one',
        reason: 'header_malformed',
        forge: (valid) => ({ ...valid, headers: { ...valid.headers, 'x-hubspot-signature-version': version === 'v1' ? 'v2' : 'v1' } }),
      },
    ],
  };
}

const hubspotV3: SchemeCase = {
  label: 'hubspot-v3',
  manifest: fixtureManifest({
    id: 'hook-hubspot-v3',
    webhooks: {
      signature: { scheme: 'hubspot-v3' },
      contentType: 'json',
      events: { path: '' },
      eventId: { in: 'body', path: 'eventId' },
      eventType: { in: 'body', path: 'subscriptionType' },
      routes: [{ eventType: 'message.*', object: 'messages', action: 'upsert', idPath: 'objectId' }],
    },
    objects: [{ key: 'messages', mapping: { canonicalObject: 'message', fields: messageFields('propertyValue') } }],
  }),
  secret: 'hubspot-client-secret-v3',
  wrongSecret: 'hubspot-client-secret-old',
  record: MESSAGE_RECORD,
  signsBody: true,
  timestamp: { toleranceSeconds: 300 },
  build({ url, event, secret, now, wire }) {
    const body = jsonBody([{ eventId: event.seq, subscriptionType: 'message.propertyChange', objectId: Number(event.recordId), propertyValue: event.text }], wire);
    const timestamp = String(now);
    return {
      url,
      body,
      headers: { 'content-type': JSON_TYPE, 'x-hubspot-signature-v3': sign.hubspotV3Signature(secret, 'POST', url, body, timestamp), 'x-hubspot-request-timestamp': timestamp },
    };
  },
  credential: headerCredential('x-hubspot-signature-v3', () => BASE64_31_BYTES),
};

const stripe: SchemeCase = {
  label: 'stripe',
  manifest: fixtureManifest({
    id: 'hook-stripe',
    webhooks: genericWebhooks({ scheme: 'stripe' }, { routes: [{ eventType: 'message.*', object: 'messages', action: 'upsert', idPath: 'data.object.id' }] }),
    objects: [{ key: 'messages', mapping: { canonicalObject: 'message', fields: messageFields('data.object.text') } }],
  }),
  secret: 'whsec_stripe_fixture_secret',
  wrongSecret: 'whsec_stripe_other_secret',
  record: MESSAGE_RECORD,
  signsBody: true,
  timestamp: { toleranceSeconds: 300 },
  build({ url, event, secret, now, wire }) {
    const body = jsonBody({ id: event.eventId, object: 'event', type: 'message.updated', data: { object: { id: event.recordId, text: event.text } } }, wire);
    return { url, body, headers: { 'content-type': JSON_TYPE, 'stripe-signature': sign.stripeSignatureHeader(secret, body, String(Math.floor(now / 1000))) } };
  },
  credential: headerCredential('stripe-signature', (value) => value.replace(/v1=[0-9a-f]+/, `v1=${HEX_62}`)),
};

const META_VERIFY_TOKEN = 'meta-verify-token-41';

const meta: SchemeCase = {
  label: 'meta',
  manifest: fixtureManifest({ id: 'hook-meta', webhooks: genericWebhooks({ scheme: 'meta' }, { handshake: { type: 'metaChallenge' } }), objects: [MESSAGES] }),
  secret: 'meta-app-secret-7f',
  wrongSecret: 'meta-app-secret-old',
  verifyToken: META_VERIFY_TOKEN,
  record: MESSAGE_RECORD,
  signsBody: true,
  build({ url, event, secret, wire }) {
    const body = jsonBody(genericPayload(event), wire);
    return { url, body, headers: { 'content-type': JSON_TYPE, 'x-hub-signature-256': sign.hubSignature256(secret, body) } };
  },
  credential: headerCredential('x-hub-signature-256', () => `sha256=${HEX_62}`),
};

const slack: SchemeCase = {
  label: 'slack',
  manifest: fixtureManifest({
    id: 'hook-slack',
    webhooks: {
      signature: { scheme: 'slack' },
      handshake: { type: 'slackUrlVerification' },
      contentType: 'json',
      eventId: { in: 'body', path: 'event_id' },
      eventType: { in: 'body', path: 'event.type' },
      routes: [{ eventType: 'message', object: 'messages', action: 'upsert', idPath: 'event.client_msg_id' }],
    },
    objects: [{ key: 'messages', mapping: { canonicalObject: 'message', fields: messageFields('event.text') } }],
  }),
  secret: 'slack-signing-secret-8e',
  wrongSecret: 'slack-signing-secret-old',
  record: MESSAGE_RECORD,
  signsBody: true,
  timestamp: { toleranceSeconds: 300 },
  build({ url, event, secret, now, wire }) {
    const body = jsonBody({ type: 'event_callback', team_id: 'T0001', event_id: event.eventId, event: { type: 'message', client_msg_id: event.recordId, text: event.text } }, wire);
    const timestamp = String(Math.floor(now / 1000));
    return { url, body, headers: { 'content-type': JSON_TYPE, 'x-slack-signature': sign.slackSignature(secret, body, timestamp), 'x-slack-request-timestamp': timestamp } };
  },
  credential: headerCredential('x-slack-signature', () => `v0=${HEX_62}`),
};

/** Standard Webhooks declares no event id, so the duplicate check uses the `webhook-id` header. */
const standardWebhooks: SchemeCase = {
  label: 'standard-webhooks',
  manifest: fixtureManifest({
    id: 'hook-standard-webhooks',
    webhooks: {
      signature: { scheme: 'standard-webhooks' },
      contentType: 'json',
      eventType: { in: 'body', path: 'type' },
      routes: [{ eventType: 'message.*', object: 'messages', action: 'upsert', idPath: 'message.id' }],
    },
    objects: [MESSAGES],
  }),
  secret: standardSecret(),
  wrongSecret: standardSecret(),
  record: MESSAGE_RECORD,
  signsBody: true,
  timestamp: { toleranceSeconds: 300 },
  build({ url, event, secret, now, wire }) {
    const body = jsonBody(genericPayload(event), wire);
    const timestamp = String(Math.floor(now / 1000));
    const id = `msg_${event.eventId}`;
    return {
      url,
      body,
      headers: { 'content-type': JSON_TYPE, 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': sign.standardWebhooksSignature(secret, id, timestamp, body) },
    };
  },
  credential: headerCredential('webhook-signature', () => `v1,${BASE64_31_BYTES}`),
};

/** GitHub declares no event id either; `X-GitHub-Delivery` is the duplicate key. */
const github: SchemeCase = {
  label: 'github',
  manifest: fixtureManifest({
    id: 'hook-github',
    webhooks: {
      signature: { scheme: 'github' },
      contentType: 'json',
      eventType: { in: 'header', path: 'X-GitHub-Event' },
      routes: [{ eventType: 'issues', object: 'issues', action: 'upsert', idPath: 'issue.id' }],
    },
    objects: [{ key: 'issues', mapping: { canonicalObject: 'message', fields: messageFields('issue.title') } }],
  }),
  secret: 'github-webhook-secret-3a',
  wrongSecret: 'github-webhook-secret-old',
  record: MESSAGE_RECORD,
  signsBody: true,
  build({ url, event, secret, wire }) {
    const body = jsonBody({ action: 'edited', issue: { id: Number(event.recordId), title: event.text, state: 'open' } }, wire);
    return { url, body, headers: { 'content-type': JSON_TYPE, 'x-hub-signature-256': sign.hubSignature256(secret, body), 'x-github-delivery': event.eventId, 'x-github-event': 'issues' } };
  },
  credential: headerCredential('x-hub-signature-256', () => `sha256=${HEX_62}`),
};

const TWILIO_AUTH_TOKEN = 'twilio-auth-token-5c';

function twilioFields(event: CaseEvent): Array<readonly [string, string]> {
  return [
    ['MessageSid', event.recordId],
    ['AccountSid', 'AC0000000000000000000000000000000a'],
    ['From', '+5511999990000'],
    ['To', '+5511988880000'],
    ['Body', event.text],
    ['SmsStatus', 'received'],
  ];
}

/** Twilio form deliveries carry no event id, so the duplicate check hashes the event's content. */
const twilioForm: SchemeCase = {
  label: 'twilio (form)',
  manifest: fixtureManifest({
    id: 'hook-twilio-form',
    webhooks: {
      signature: { scheme: 'twilio' },
      contentType: 'form',
      eventType: { in: 'body', path: 'SmsStatus' },
      routes: [{ eventType: '*', object: 'messages', action: 'upsert', idPath: 'MessageSid' }],
    },
    objects: [{ key: 'messages', mapping: { canonicalObject: 'message', fields: messageFields('Body') } }],
  }),
  secret: TWILIO_AUTH_TOKEN,
  wrongSecret: 'twilio-auth-token-old',
  record: MESSAGE_RECORD,
  signsBody: true,
  build({ url, event, secret, wire }) {
    const fields = twilioFields(event);
    return { url, body: formBody(fields, wire), headers: { 'content-type': FORM_TYPE, 'x-twilio-signature': sign.twilioFormSignature(secret, url, fields) } };
  },
  credential: headerCredential('x-twilio-signature', () => BASE64_19_BYTES),
};

const twilioJson: SchemeCase = {
  label: 'twilio (JSON with bodySHA256)',
  manifest: fixtureManifest({ id: 'hook-twilio-json', webhooks: genericWebhooks({ scheme: 'twilio' }), objects: [MESSAGES] }),
  secret: TWILIO_AUTH_TOKEN,
  wrongSecret: 'twilio-auth-token-old',
  record: MESSAGE_RECORD,
  signsBody: true,
  build({ url, event, secret, wire }) {
    const body = jsonBody(genericPayload(event), wire);
    const signed = sign.twilioJsonDelivery(secret, url, body);
    return { url: signed.url, body, headers: { 'content-type': JSON_TYPE, 'x-twilio-signature': signed.signature } };
  },
  credential: headerCredential('x-twilio-signature', () => BASE64_19_BYTES),
  extraForgeries: [
    {
      label: 'a URL without bodySHA256',
      reason: 'header_missing',
      forge: (valid) => {
        const url = valid.url.slice(0, valid.url.indexOf('?'));
        return { ...valid, url, headers: { ...valid.headers, 'x-twilio-signature': sign.twilioFormSignature(TWILIO_AUTH_TOKEN, url, []) } };
      },
    },
    {
      label: 'a bodySHA256 of other bytes',
      reason: 'signature_mismatch',
      forge: (valid) => {
        const signed = sign.twilioJsonDelivery(TWILIO_AUTH_TOKEN, valid.url.slice(0, valid.url.indexOf('?')), Buffer.from('{}'));
        return { ...valid, url: signed.url, headers: { ...valid.headers, 'x-twilio-signature': signed.signature } };
      },
    },
  ],
};

const linkedin: SchemeCase = {
  label: 'linkedin',
  manifest: fixtureManifest({ id: 'hook-linkedin', webhooks: genericWebhooks({ scheme: 'linkedin' }, { handshake: { type: 'linkedinChallenge' } }), objects: [MESSAGES] }),
  secret: 'linkedin-client-secret-9d',
  wrongSecret: 'linkedin-client-secret-old',
  record: MESSAGE_RECORD,
  signsBody: true,
  build({ url, event, secret, wire }) {
    const body = jsonBody(genericPayload(event), wire);
    return { url, body, headers: { 'content-type': JSON_TYPE, 'x-li-signature': sign.linkedinSignature(secret, body) } };
  },
  credential: headerCredential('x-li-signature', () => `hmacsha256=${HEX_62}`),
};

/** Mailchimp posts bracketed form fields and proves nothing but the URL secret. */
const mailchimp: SchemeCase = {
  label: 'mailchimp',
  manifest: fixtureManifest({
    id: 'hook-mailchimp',
    webhooks: {
      signature: { scheme: 'mailchimp' },
      handshake: { type: 'mailchimpGet' },
      contentType: 'form',
      eventType: { in: 'body', path: 'type' },
      routes: [{ eventType: 'profile', object: 'members', action: 'upsert', idPath: 'data.id' }],
    },
    objects: [
      {
        key: 'members',
        mapping: {
          canonicalObject: 'contact',
          fields: [
            { target: 'fullName', source: 'data.merges.FNAME' },
            { target: 'email', source: 'data.email' },
          ],
        },
      },
    ],
  }),
  secret: 'mailchimp/url+secret=1',
  wrongSecret: 'mailchimp-url-secret-old',
  record: { canonicalObject: 'contact', textField: 'fullName' },
  signsBody: false,
  build({ url, event, secret, wire }) {
    const fields: Array<readonly [string, string]> = [
      ['type', 'profile'],
      ['fired_at', '2026-03-02 10:15:00'],
      ['data[id]', event.recordId],
      ['data[email]', `member${event.seq}@example.com`],
      ['data[merges][FNAME]', event.text],
      ['data[list_id]', 'a1b2c3'],
    ];
    return { url: sign.withSecretParameter(url, secret), body: formBody(fields, wire), headers: { 'content-type': FORM_TYPE } };
  },
  credential: URL_SECRET_CREDENTIAL,
};

/** Pipedrive v1 puts the record id in meta.id and has no event id of its own. */
const pipedriveV1: SchemeCase = {
  label: 'pipedrive (v1 payload)',
  manifest: fixtureManifest({
    id: 'hook-pipedrive-v1',
    webhooks: { signature: { scheme: 'pipedrive' }, contentType: 'json', routes: [{ eventType: 'person.*', object: 'persons', action: 'upsert', idPath: 'meta.id' }] },
    objects: [{ key: 'persons', mapping: { canonicalObject: 'contact', fields: [{ target: 'fullName', source: 'current.name' }] } }],
  }),
  secret: 'pipedrive-hooks:s3cret-Pässwort',
  wrongSecret: 'pipedrive-hooks:wrong-password',
  record: { canonicalObject: 'contact', textField: 'fullName' },
  signsBody: false,
  build({ url, event, secret, wire }) {
    const id = Number(event.recordId);
    const body = jsonBody(
      {
        v: 1,
        event: 'updated.person',
        current: { id, name: event.text },
        previous: { id, name: 'Previous name' },
        meta: { v: 1, action: 'updated', object: 'person', id, timestamp: 1_770_000_000 + event.seq, webhook_id: '77' },
        retry: 0,
      },
      wire,
    );
    return { url, body, headers: { 'content-type': JSON_TYPE, authorization: sign.basicAuthorization(secret) } };
  },
  credential: BASIC_CREDENTIAL,
};

/** Pipedrive v2 names its event in meta.id and the record in meta.entity_id. */
const pipedriveV2: SchemeCase = {
  label: 'pipedrive (v2 payload)',
  manifest: fixtureManifest({
    id: 'hook-pipedrive-v2',
    webhooks: { signature: { scheme: 'pipedrive' }, contentType: 'json', routes: [{ eventType: 'person.*', object: 'persons', action: 'upsert', idPath: 'meta.entity_id' }] },
    objects: [{ key: 'persons', mapping: { canonicalObject: 'contact', fields: [{ target: 'fullName', source: 'data.name' }] } }],
  }),
  secret: 'pipedrive-hooks:s3cret-Pässwort',
  wrongSecret: 'pipedrive-hooks:wrong-password',
  record: { canonicalObject: 'contact', textField: 'fullName' },
  signsBody: false,
  build({ url, event, secret, wire }) {
    const body = jsonBody(
      {
        data: { id: Number(event.recordId), name: event.text },
        previous: null,
        meta: { action: 'change', entity: 'person', entity_id: event.recordId, id: event.eventId, version: '2.0', timestamp: '2026-03-02T10:15:00.000Z' },
      },
      wire,
    );
    return { url, body, headers: { 'content-type': JSON_TYPE, authorization: sign.basicAuthorization(secret) } };
  },
  credential: BASIC_CREDENTIAL,
};

const SALESFORCE_ORG_ID = '00D5e000000KQ2eEAG';

function outboundMessage(organizationId: string | null, event: CaseEvent, wire: WireStyle): Buffer {
  const organization = organizationId === null ? '' : `<OrganizationId>${organizationId}</OrganizationId>`;
  return Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>' +
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">' +
      `${organization}<ActionId>04k5e000000CaRkAAK</ActionId>` +
      `<Notification><Id>${event.eventId}</Id>` +
      '<sObject xsi:type="sf:Contact" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">' +
      `<sf:Id>${event.recordId}</sf:Id><sf:LastName>${xmlText(event.text, wire)}</sf:LastName>` +
      '</sObject></Notification>' +
      '</notifications></soapenv:Body></soapenv:Envelope>',
    'utf8',
  );
}

/** Replaces the OrganizationId element's value in an outbound message body. */
function withOrganizationId(delivery: Delivery, organizationId: string | null): Delivery {
  const text = delivery.body.toString('utf8');
  const replacement = organizationId === null ? '' : `<OrganizationId>${organizationId}</OrganizationId>`;
  return { ...delivery, body: Buffer.from(text.replace(/<OrganizationId>[^<]*<\/OrganizationId>/, replacement), 'utf8') };
}

/** Salesforce signs nothing; the secret is the org id inside the SOAP body, compared on its first 15 characters. */
const salesforce: SchemeCase = {
  label: 'salesforce-outbound',
  manifest: fixtureManifest({
    id: 'hook-salesforce',
    webhooks: {
      signature: { scheme: 'salesforce-outbound' },
      contentType: 'xml',
      events: { path: 'notifications' },
      eventId: { in: 'body', path: 'id' },
      eventType: { in: 'body', path: 'object' },
      routes: [{ eventType: 'Contact', object: 'contacts', action: 'upsert', idPath: 'fields.Id' }],
    },
    objects: [{ key: 'contacts', mapping: { canonicalObject: 'contact', fields: [{ target: 'lastName', source: 'fields.LastName' }] } }],
  }),
  secret: SALESFORCE_ORG_ID,
  wrongSecret: '00D5e000000ZZ9zZZZ',
  record: { canonicalObject: 'contact', textField: 'lastName' },
  signsBody: false,
  soapAcknowledgement: true,
  build({ url, event, secret, wire }) {
    return { url, body: outboundMessage(secret, event, wire), headers: { 'content-type': 'text/xml; charset=utf-8' } };
  },
  credential: {
    missingReason: 'credentials_mismatch',
    remove: (delivery) => withOrganizationId(delivery, null),
    malformedReason: 'credentials_mismatch',
    malform: (delivery) => withOrganizationId(delivery, SALESFORCE_ORG_ID.slice(0, 14)),
    alter: (delivery) => withOrganizationId(delivery, changeCharacter(SALESFORCE_ORG_ID, 10)),
  },
  extraForgeries: [
    {
      label: 'an org id that differs only in letter case',
      reason: 'credentials_mismatch',
      forge: (valid) => withOrganizationId(valid, SALESFORCE_ORG_ID.slice(0, 15).toLowerCase()),
    },
  ],
};

const basicAuth: SchemeCase = {
  label: 'basic-auth',
  manifest: fixtureManifest({ id: 'hook-basic-auth', webhooks: genericWebhooks({ scheme: 'basic-auth' }), objects: [MESSAGES] }),
  secret: 'lumio-hooks:c0rrect-horse',
  wrongSecret: 'lumio-hooks:wrong-horse',
  record: MESSAGE_RECORD,
  signsBody: false,
  build({ url, event, secret, wire }) {
    return { url, body: jsonBody(genericPayload(event), wire), headers: { 'content-type': JSON_TYPE, authorization: sign.basicAuthorization(secret) } };
  },
  credential: BASIC_CREDENTIAL,
};

const urlSecret: SchemeCase = {
  label: 'url-secret',
  manifest: fixtureManifest({ id: 'hook-url-secret', webhooks: genericWebhooks({ scheme: 'url-secret' }), objects: [MESSAGES] }),
  secret: 'u/rl+s3cret=ok',
  wrongSecret: 'u/rl+s3cret=no',
  record: MESSAGE_RECORD,
  signsBody: false,
  build({ url, event, secret, wire }) {
    return { url: sign.withSecretParameter(url, secret), body: jsonBody(genericPayload(event), wire), headers: { 'content-type': JSON_TYPE } };
  },
  credential: URL_SECRET_CREDENTIAL,
  extraForgeries: [
    {
      label: 'the secret parameter twice',
      reason: 'credentials_mismatch',
      forge: (valid) => ({ ...valid, url: `${valid.url}&secret=${encodeURIComponent('u/rl+s3cret=ok')}` }),
    },
  ],
};

/** The generic HMAC with a millisecond timestamp and a tolerance shorter than the default. */
const genericHmac: SchemeCase = {
  label: 'hmac (millisecond timestamp)',
  manifest: fixtureManifest({
    id: 'hook-hmac',
    webhooks: genericWebhooks({
      scheme: 'hmac',
      header: 'X-Lumio-Signature',
      algorithm: 'sha256',
      encoding: 'base64',
      prefix: 'sha256=',
      signedContent: '{{ timestamp }}.{{ method }}.{{ url }}.{{ body }}',
      timestampHeader: 'X-Lumio-Timestamp',
      timestampUnit: 'milliseconds',
      toleranceSeconds: 120,
    }),
    objects: [MESSAGES],
  }),
  secret: 'generic-hmac-secret-2b',
  wrongSecret: 'generic-hmac-secret-old',
  record: MESSAGE_RECORD,
  signsBody: true,
  timestamp: { toleranceSeconds: 120 },
  build({ url, event, secret, now, wire }) {
    const body = jsonBody(genericPayload(event), wire);
    const timestamp = String(now);
    return { url, body, headers: { 'content-type': JSON_TYPE, 'x-lumio-signature': sign.genericHmacSignature(secret, timestamp, 'POST', url, body), 'x-lumio-timestamp': timestamp } };
  },
  credential: headerCredential('x-lumio-signature', () => `sha256=${BASE64_31_BYTES}`),
  extraForgeries: [
    {
      label: 'a timestamp in seconds instead of milliseconds',
      reason: 'timestamp_outside_window',
      forge: (valid) => ({ ...valid, headers: { ...valid.headers, 'x-lumio-timestamp': String(Math.floor(Number(valid.headers['x-lumio-timestamp']) / 1000)) } }),
    },
  ],
};

/** Every built-in scheme, with the two Twilio and two Pipedrive variants. */
export const SCHEME_CASES: readonly SchemeCase[] = [
  shopify,
  hubspotHashCase('v1'),
  hubspotHashCase('v2'),
  hubspotV3,
  stripe,
  meta,
  slack,
  standardWebhooks,
  github,
  twilioForm,
  twilioJson,
  linkedin,
  mailchimp,
  pipedriveV1,
  pipedriveV2,
  salesforce,
  basicAuth,
  urlSecret,
  genericHmac,
];

export { META_VERIFY_TOKEN };
