import { describe, expect, it } from 'vitest';
import { LumioError } from '../../errors/index.js';
import { parsePayload } from './parse-payload.js';
import { readSalesforceNotifications, readSalesforceOrganizationId, salesforceAcknowledgement } from './salesforce.js';

function captureError(run: () => unknown): LumioError {
  try {
    run();
  } catch (error) {
    if (error instanceof LumioError) return error;
    throw error;
  }
  throw new Error('expected a LumioError');
}

function outboundMessage(notifications: string, organizationId = '00D5e000000KQ2eEAG'): Buffer {
  return Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>' +
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">' +
      `<OrganizationId>${organizationId}</OrganizationId><ActionId>04k5e000000CaRkAAK</ActionId>` +
      '<SessionId xsi:nil="true"/><EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/59.0</EnterpriseUrl>' +
      notifications +
      '</notifications></soapenv:Body></soapenv:Envelope>',
    'utf8',
  );
}

const contact =
  '<Notification><Id>04l5e00000Gx7QzAAJ</Id>' +
  '<sObject xsi:type="sf:Contact" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">' +
  '<sf:Id>0035e00000ZkM3hAAF</sf:Id><sf:LastName>Conceição &amp; Filhos</sf:LastName><sf:Phone xsi:nil="true"/>' +
  '</sObject></Notification>';

const account =
  '<Notification><Id>04l5e00000Gx7R0AAJ</Id>' +
  '<sObject xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">' +
  '<sf:Id>0015e00000ZkM3hAAF</sf:Id><sf:Name>Acme 😀</sf:Name>' +
  '</sObject></Notification>';

describe('readSalesforceNotifications', () => {
  it('reads one notification', () => {
    const message = readSalesforceNotifications(parsePayload('xml', outboundMessage(contact)));

    expect(message).toEqual({
      organizationId: '00D5e000000KQ2eEAG',
      actionId: '04k5e000000CaRkAAK',
      notifications: [
        { id: '04l5e00000Gx7QzAAJ', object: 'Contact', fields: { Id: '0035e00000ZkM3hAAF', LastName: 'Conceição & Filhos', Phone: '' } },
      ],
    });
  });

  it('reads several notifications', () => {
    const message = readSalesforceNotifications(parsePayload('xml', outboundMessage(contact + account)));

    expect(message.notifications.map((notification) => notification.object)).toEqual(['Contact', 'Account']);
    expect(message.notifications[1]?.fields).toEqual({ Id: '0015e00000ZkM3hAAF', Name: 'Acme 😀' });
  });

  it('reads a message without notifications', () => {
    expect(readSalesforceNotifications(parsePayload('xml', outboundMessage(''))).notifications).toEqual([]);
  });

  it('rejects a body that is not a message', () => {
    const error = captureError(() => readSalesforceNotifications(parsePayload('xml', Buffer.from('<a><b>1</b></a>'))));

    expect(error.code).toBe('WEBHOOK_BODY_INVALID');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/no Envelope\/Body\/notifications/);
    expect(captureError(() => readSalesforceNotifications({ Envelope: 'x' })).code).toBe('WEBHOOK_BODY_INVALID');
    expect(captureError(() => readSalesforceNotifications(null)).code).toBe('WEBHOOK_BODY_INVALID');
  });

  it('rejects a message without organization', () => {
    const error = captureError(() => readSalesforceNotifications(parsePayload('xml', outboundMessage(contact, ''))));
    expect(error.message).toMatch(/no OrganizationId/);
  });

  it('rejects a notification without sObject type', () => {
    const broken = '<Notification><Id>04l1</Id><sObject><sf:Id xmlns:sf="urn:x">1</sf:Id></sObject></Notification>';
    const error = captureError(() => readSalesforceNotifications(parsePayload('xml', outboundMessage(contact + broken))));

    expect(error.code).toBe('WEBHOOK_BODY_INVALID');
    expect(error.message).toMatch(/Notification 2 /);
  });
});

describe('readSalesforceOrganizationId', () => {
  it('reads the organization id', () => {
    expect(readSalesforceOrganizationId(parsePayload('xml', outboundMessage(contact)))).toBe('00D5e000000KQ2eEAG');
  });

  it('returns undefined without one', () => {
    expect(readSalesforceOrganizationId(parsePayload('xml', outboundMessage(contact, '')))).toBeUndefined();
    expect(readSalesforceOrganizationId({ other: 1 })).toBeUndefined();
    expect(readSalesforceOrganizationId('text')).toBeUndefined();
  });
});

describe('salesforceAcknowledgement', () => {
  it('acknowledges in the outbound namespace', () => {
    const reply = salesforceAcknowledgement();

    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe('text/xml; charset=utf-8');
    expect(parsePayload('xml', Buffer.from(reply.body))).toEqual({ Envelope: { Body: { notificationsResponse: { Ack: 'true' } } } });
    expect(reply.body).toContain('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">');
    expect(reply.body).toContain('<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>');
  });
});
