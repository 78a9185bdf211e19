import { describe, expect, it } from 'vitest';
import { classifyAddress, isPrivateAddress } from './private-address.js';

// [address, expected result of isPrivateAddress]
const TABLE: [string, boolean][] = [
  // IPv4 private, loopback, link-local, CGNAT, metadata
  ['10.0.0.1', true],
  ['10.255.255.255', true],
  ['172.16.0.1', true],
  ['172.31.255.254', true],
  ['172.15.255.255', false],
  ['172.32.0.0', false],
  ['192.168.1.1', true],
  ['192.169.0.1', false],
  ['127.0.0.1', true],
  ['127.255.255.254', true],
  ['0.0.0.0', true],
  ['169.254.169.254', true],
  ['169.254.170.2', true],
  ['100.64.0.1', true],
  ['100.100.100.200', true],
  ['100.127.255.255', true],
  ['100.128.0.0', false],
  ['100.63.255.255', false],
  ['168.63.129.16', true],
  ['168.63.129.17', false],
  ['192.0.0.170', true],
  ['192.0.2.10', true],
  ['198.18.0.1', true],
  ['198.19.255.255', true],
  ['198.20.0.0', false],
  ['224.0.0.1', true],
  ['239.255.255.250', true],
  ['255.255.255.255', true],
  ['240.0.0.1', true],
  // IPv4 public
  ['8.8.8.8', false],
  ['1.1.1.1', false],
  ['104.16.0.1', false],
  ['223.255.255.255', false],
  // IPv6 special
  ['::', true],
  ['::1', true],
  ['0:0:0:0:0:0:0:1', true],
  ['[::1]', true],
  ['fe80::1', true],
  ['fe80::1%eth0', true],
  ['febf:ffff::1', true],
  ['fc00::1', true],
  ['fd00:ec2::254', true],
  ['fdff:ffff::', true],
  ['fec0::1', true],
  ['ff02::1', true],
  ['2001:db8::1', true],
  ['2001:0:4136:e378::1', true],
  ['100::1', true],
  ['64:ff9b:1::10', true],
  // IPv6 embedding IPv4
  ['::ffff:127.0.0.1', true],
  ['::ffff:7f00:1', true],
  ['::ffff:169.254.169.254', true],
  ['::ffff:8.8.8.8', false],
  ['::127.0.0.1', true],
  ['64:ff9b::10.0.0.1', true],
  ['64:ff9b::808:808', false],
  ['2002:a00:1::', true],
  ['2002:808:808::1', false],
  // IPv6 public
  ['2606:4700:4700::1111', false],
  ['2a00:1450:4001:80b::200e', false],
  ['fe00::1', false],
  // not addresses: fail closed
  ['example.com', true],
  ['', true],
  ['999.1.1.1', true],
];

describe('isPrivateAddress', () => {
  it.each(TABLE)('classifies %s', (address, refused) => {
    expect(isPrivateAddress(address)).toBe(refused);
  });

  it('names the matching range', () => {
    expect(classifyAddress('169.254.169.254')).toBe('link-local');
    expect(classifyAddress('::ffff:10.1.2.3')).toBe('IPv4-mapped private network');
    expect(classifyAddress('100.100.100.200')).toBe('carrier-grade NAT');
    expect(classifyAddress('8.8.4.4')).toBeUndefined();
  });
});
