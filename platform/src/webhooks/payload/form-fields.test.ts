import { describe, expect, it } from 'vitest';
import { decodeFormFields } from './form-fields.js';

describe('decodeFormFields', () => {
  it('decodes pairs in body order', () => {
    expect(decodeFormFields('b=2&a=1&b=3')).toEqual([['b', '2'], ['a', '1'], ['b', '3']]);
  });

  it('matches URLSearchParams on valid input', () => {
    const text = 'To=%2B18005551212&Body=Ol%C3%A1+mundo&&Empty=&NoValue&Plus=a%2Bb&Eq=a=b';
    const expected = [...new URLSearchParams(text)];

    expect(decodeFormFields(text)).toEqual(expected);
  });

  it('returns null on malformed escapes', () => {
    expect(decodeFormFields('a=%')).toBeNull();
    expect(decodeFormFields('a=%2')).toBeNull();
    expect(decodeFormFields('%zz=1')).toBeNull();
    expect(decodeFormFields('a=%ED%A0%80')).toBeNull();
  });
});
