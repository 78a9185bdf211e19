import { describe, expect, it } from 'vitest';
import { salesforceOutboundScheme } from './salesforce-outbound.js';
import { NOW, hostileValues, reasonOf, request } from './scheme-test-kit.js';

const SIGNATURE = { scheme: 'salesforce-outbound' } as const;
const ORG_18 = '00D5e000000KQ2eEAG';
const ORG_15 = '00D5e000000KQ2e';
const OTHER_ORG = '00D5e000000KQ2fEAG';

function outboundMessage(organizationId: string, lastName = 'Conceição &amp; Filhos 🎉'): Buffer {
  return Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>' +
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">' +
      `<OrganizationId>${organizationId}</OrganizationId><ActionId>04k5e000000CaRkAAK</ActionId>` +
      '<Notification><Id>04l5e00000Gx7QzAAJ</Id><sObject xsi:type="sf:Contact" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">' +
      `<sf:Id>0035e00000ZkM3hAAF</sf:Id><sf:LastName>${lastName}</sf:LastName></sObject></Notification>` +
      '</notifications></soapenv:Body></soapenv:Envelope>',
    'utf8',
  );
}

function verify(body: Buffer, secrets: readonly string[] = [ORG_18]) {
  return salesforceOutboundScheme.verify({ request: request({ headers: { 'content-type': 'text/xml; charset=utf-8' }, body }), secrets, signature: SIGNATURE, now: NOW });
}

describe('salesforceOutboundScheme', () => {
  it('accepts a matching organisation id', () => {
    expect(verify(outboundMessage(ORG_18))).toEqual({ ok: true });
  });

  it('accepts only XML', () => {
    expect(salesforceOutboundScheme.acceptedContentTypes('xml')).toEqual(['xml']);
    expect(salesforceOutboundScheme.acceptedContentTypes('json')).toEqual(['xml']);
  });

  it('matches 15- and 18-character forms', () => {
    expect(verify(outboundMessage(ORG_18), [ORG_15]).ok).toBe(true);
    expect(verify(outboundMessage(ORG_15), [ORG_18]).ok).toBe(true);
    expect(verify(outboundMessage(ORG_15), [ORG_15]).ok).toBe(true);
    expect(verify(outboundMessage('00D5e000000KQ2eXYZ'), [ORG_18]).ok).toBe(true);
  });

  it('compares case-sensitively', () => {
    expect(reasonOf(verify(outboundMessage('00d5e000000KQ2eEAG')))).toBe('credentials_mismatch');
    expect(reasonOf(verify(outboundMessage(ORG_18), ['00D5E000000KQ2eEAG']))).toBe('credentials_mismatch');
  });

  it('rejects another organisation', () => {
    const result = verify(outboundMessage(OTHER_ORG));

    expect(result).toEqual({
      ok: false,
      reason: 'credentials_mismatch',
      message: "The OrganizationId of the outbound message matches none of the connection's Salesforce organisation ids.",
    });
  });

  it('accepts the second of two ids', () => {
    expect(reasonOf(verify(outboundMessage(OTHER_ORG)))).toBe('credentials_mismatch');
    expect(verify(outboundMessage(OTHER_ORG), [ORG_18, OTHER_ORG]).ok).toBe(true);
  });

  it('reports an empty secret list as missing', () => {
    expect(reasonOf(verify(outboundMessage(ORG_18), []))).toBe('secret_missing');
    expect(reasonOf(verify(outboundMessage(ORG_18), ['']))).toBe('secret_missing');
    expect(reasonOf(verify(outboundMessage(ORG_18), ['', ORG_18]))).toBe('ok');
  });

  it('rejects ids of the wrong shape', () => {
    for (const id of ['00D5e000000KQ2', '00D5e000000KQ2eEA', '00D5e000000KQ2eEAGX', '00D5e000000KQ2-EAG', '']) {
      expect(reasonOf(verify(outboundMessage(id), [ORG_18])), id).toBe('credentials_mismatch');
    }
    expect(reasonOf(verify(outboundMessage(ORG_18), ['00D5e000000KQ2']))).toBe('credentials_mismatch');
  });

  it('rejects bodies that are not outbound messages', () => {
    const bodies = ['', '<a/>', '{"OrganizationId":"00D5e000000KQ2eEAG"}', '<a><b></a>', '<!DOCTYPE a><a/>'];
    for (const body of bodies) {
      const result = verify(Buffer.from(body));
      expect(reasonOf(result), body).toBe('credentials_mismatch');
      expect(result.ok ? '' : result.message).toBe('The body is not a Salesforce outbound message with an OrganizationId.');
    }
    expect(reasonOf(verify(Buffer.concat([outboundMessage(ORG_18).subarray(0, 50), Buffer.from([0xff])])))).toBe('credentials_mismatch');
  });

  it('reads raw accents and entities', () => {
    expect(verify(outboundMessage(ORG_18, 'ação &#233; 😀 a\\/b')).ok).toBe(true);
  });

  it('never throws on hostile bodies', () => {
    for (const value of hostileValues(200)) {
      expect(() => verify(Buffer.from(value))).not.toThrow();
      expect(() => verify(outboundMessage(value))).not.toThrow();
    }
  });

  it('signs without changing anything', () => {
    const url = 'https://hooks.lumio.test/webhooks/salesforce/tok_1';
    const signed = salesforceOutboundScheme.sign({ secret: ORG_18, method: 'POST', url, body: outboundMessage(ORG_18), now: NOW, id: 'x', signature: SIGNATURE });

    expect(signed).toEqual({ headers: {}, url });
    expect(verify(outboundMessage(ORG_18)).ok).toBe(true);
  });
});
