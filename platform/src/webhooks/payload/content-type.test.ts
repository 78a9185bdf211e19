import { describe, expect, it } from 'vitest';
import { detectContentType } from './content-type.js';

describe('detectContentType', () => {
  it('maps JSON media types', () => {
    expect(detectContentType('application/json')).toBe('json');
    expect(detectContentType('application/json; charset=utf-8')).toBe('json');
    expect(detectContentType('Application/JSON')).toBe('json');
    expect(detectContentType('application/vnd.api+json')).toBe('json');
    expect(detectContentType('application/cloudevents+json; charset=UTF-8')).toBe('json');
  });

  it('maps form media type', () => {
    expect(detectContentType('application/x-www-form-urlencoded')).toBe('form');
    expect(detectContentType('application/x-www-form-urlencoded;charset=UTF-8')).toBe('form');
  });

  it('maps XML media types', () => {
    expect(detectContentType('text/xml; charset=utf-8')).toBe('xml');
    expect(detectContentType('application/xml')).toBe('xml');
    expect(detectContentType('application/soap+xml; action="urn:x"')).toBe('xml');
  });

  it('returns null for other types', () => {
    expect(detectContentType(undefined)).toBeNull();
    expect(detectContentType('')).toBeNull();
    expect(detectContentType('text/plain')).toBeNull();
    expect(detectContentType('multipart/form-data; boundary=x')).toBeNull();
    expect(detectContentType('application/jsonx')).toBeNull();
    expect(detectContentType('application/+json')).toBeNull();
    expect(detectContentType('text/json')).toBeNull();
  });
});
