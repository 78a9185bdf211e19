import type { HandshakeReply } from '../handshakes/index.js';
import { bodyInvalid } from './body-invalid.js';
import { isRecord, ownValue } from './is-record.js';

/** One record change in a Salesforce outbound message. */
export interface SalesforceNotification {
  /** Notification id. Salesforce resends a notification with the same id until it is acknowledged. */
  id: string;
  /** sObject type without its namespace prefix, e.g. "Contact" for `sf:Contact`. */
  object: string;
  /** Field values by field name. A field sent as `xsi:nil` reads as "". */
  fields: Record<string, string>;
}

/** A Salesforce outbound message reduced to what routing needs. */
export interface SalesforceOutboundMessage {
  organizationId: string;
  actionId: string;
  notifications: SalesforceNotification[];
}

const OUTBOUND_NAMESPACE = 'http://soap.sforce.com/2005/09/outbound';

/**
 * Reads the `notifications` element of a parsed outbound message (as parsePayload returns
 * XML, with namespace prefixes removed). The shape follows Salesforce's outbound messaging
 * WSDL: OrganizationId, ActionId, then up to 100 Notification elements, each an Id and an
 * sObject whose `xsi:type` names the object.
 * NOTE: only text fields are read, so an element with child elements is left out of `fields`.
 */
export function readSalesforceNotifications(parsed: unknown): SalesforceOutboundMessage {
  const notifications = notificationsElement(parsed);
  if (notifications === undefined) {
    throw bodyInvalid('The body is not a Salesforce outbound message: it has no Envelope/Body/notifications element.');
  }

  const organizationId = textOf(ownValue(notifications, 'OrganizationId'));
  if (!organizationId) throw bodyInvalid('The Salesforce outbound message has no OrganizationId.');

  const listed = ownValue(notifications, 'Notification');
  const elements = listed === undefined ? [] : Array.isArray(listed) ? listed : [listed];
  return {
    organizationId,
    actionId: textOf(ownValue(notifications, 'ActionId')) ?? '',
    notifications: elements.map(readNotification),
  };
}

/** Returns the OrganizationId of a parsed outbound message, or undefined when it has none. */
export function readSalesforceOrganizationId(parsed: unknown): string | undefined {
  const notifications = notificationsElement(parsed);
  return notifications === undefined ? undefined : textOf(ownValue(notifications, 'OrganizationId')) || undefined;
}

/**
 * Builds the SOAP response that acknowledges every notification of a message. Without `Ack` true,
 * Salesforce keeps resending the message. The element and its namespace come from the
 * outbound messaging WSDL (developer.salesforce.com/docs/platform/api/guide/sforce-api-om-outboundmessaging-wsdl.html).
 */
export function salesforceAcknowledgement(): HandshakeReply {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
    '<soapenv:Body>' +
    `<notificationsResponse xmlns="${OUTBOUND_NAMESPACE}"><Ack>true</Ack></notificationsResponse>` +
    '</soapenv:Body>' +
    '</soapenv:Envelope>';
  return { status: 200, contentType: 'text/xml; charset=utf-8', body };
}

function notificationsElement(parsed: unknown): Record<string, unknown> | undefined {
  const envelope = isRecord(parsed) ? ownValue(parsed, 'Envelope') : undefined;
  const body = isRecord(envelope) ? ownValue(envelope, 'Body') : undefined;
  const notifications = isRecord(body) ? ownValue(body, 'notifications') : undefined;
  return isRecord(notifications) ? notifications : undefined;
}

function readNotification(element: unknown, index: number): SalesforceNotification {
  const id = isRecord(element) ? textOf(ownValue(element, 'Id')) : undefined;
  const record = isRecord(element) ? ownValue(element, 'sObject') : undefined;
  const type = isRecord(record) ? ownValue(record, '@_type') : undefined;
  if (!id || !isRecord(record) || typeof type !== 'string') {
    throw bodyInvalid(`Notification ${index + 1} of the Salesforce outbound message needs an Id and an sObject with an xsi:type.`);
  }

  return { id, object: type.slice(type.lastIndexOf(':') + 1), fields: readFields(record) };
}

function readFields(record: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(record)) {
    if (name.startsWith('@_')) continue;

    const text = textOf(value);
    if (text !== undefined) fields[name] = text;
  }
  return fields;
}

/** Text of a parsed element: a string, "" for `xsi:nil`, or the text beside attributes. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return undefined;
  if (ownValue(value, '@_nil') === 'true') return '';

  const text = ownValue(value, '#text');
  return typeof text === 'string' ? text : undefined;
}
