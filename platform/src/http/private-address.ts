import { isIPv4, isIPv6 } from 'node:net';

interface Ipv4Range {
  base: number;
  prefix: number;
  name: string;
}

// Addresses an outbound connector request must never reach: they belong to this host,
// its private network or its cloud provider's metadata service.
const IPV4_RANGES: readonly Ipv4Range[] = [
  range4('0.0.0.0', 8, 'this network'),
  range4('10.0.0.0', 8, 'private network'),
  range4('100.64.0.0', 10, 'carrier-grade NAT'), // includes Alibaba Cloud metadata 100.100.100.200
  range4('127.0.0.0', 8, 'loopback'),
  range4('169.254.0.0', 16, 'link-local'), // includes 169.254.169.254 (AWS, GCP, Azure, OCI metadata)
  range4('172.16.0.0', 12, 'private network'),
  range4('192.0.0.0', 24, 'IETF protocol assignments'),
  range4('192.0.2.0', 24, 'documentation'),
  range4('192.88.99.0', 24, '6to4 relay anycast'),
  range4('192.168.0.0', 16, 'private network'),
  range4('198.18.0.0', 15, 'benchmarking'),
  range4('198.51.100.0', 24, 'documentation'),
  range4('203.0.113.0', 24, 'documentation'),
  range4('224.0.0.0', 4, 'multicast'),
  range4('240.0.0.0', 4, 'reserved'), // includes the broadcast address 255.255.255.255
  range4('168.63.129.16', 32, 'cloud metadata'), // Azure host services address
];

interface Ipv6Range {
  groups: readonly number[];
  prefix: number;
  name: string;
  /** Bit offset of an embedded IPv4 address, which decides the range instead. */
  embeddedIpv4At?: number;
}

const IPV6_RANGES: readonly Ipv6Range[] = [
  { groups: [0, 0, 0, 0, 0, 0, 0, 0], prefix: 128, name: 'unspecified' },
  { groups: [0, 0, 0, 0, 0, 0, 0, 1], prefix: 128, name: 'loopback' },
  { groups: [0, 0, 0, 0, 0, 0xffff, 0, 0], prefix: 96, name: 'IPv4-mapped', embeddedIpv4At: 96 },
  { groups: [0, 0, 0, 0, 0, 0, 0, 0], prefix: 96, name: 'IPv4-compatible', embeddedIpv4At: 96 },
  { groups: [0x64, 0xff9b, 0, 0, 0, 0, 0, 0], prefix: 96, name: 'NAT64', embeddedIpv4At: 96 },
  { groups: [0x64, 0xff9b, 1, 0, 0, 0, 0, 0], prefix: 48, name: 'local NAT64' },
  { groups: [0x100, 0, 0, 0, 0, 0, 0, 0], prefix: 64, name: 'discard' },
  { groups: [0x2001, 0, 0, 0, 0, 0, 0, 0], prefix: 32, name: 'Teredo tunnel' },
  { groups: [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], prefix: 32, name: 'documentation' },
  { groups: [0x2002, 0, 0, 0, 0, 0, 0, 0], prefix: 16, name: '6to4', embeddedIpv4At: 16 },
  { groups: [0x3fff, 0, 0, 0, 0, 0, 0, 0], prefix: 20, name: 'documentation' },
  { groups: [0xfc00, 0, 0, 0, 0, 0, 0, 0], prefix: 7, name: 'unique local' }, // includes AWS metadata fd00:ec2::254
  { groups: [0xfe80, 0, 0, 0, 0, 0, 0, 0], prefix: 10, name: 'link-local' },
  { groups: [0xfec0, 0, 0, 0, 0, 0, 0, 0], prefix: 10, name: 'site-local' },
  { groups: [0xff00, 0, 0, 0, 0, 0, 0, 0], prefix: 8, name: 'multicast' },
];

/**
 * Names the non-public range an IP address belongs to ("loopback", "private network",
 * "cloud metadata"...), or returns undefined for a public address. IPv6 forms that embed
 * an IPv4 address (mapped, NAT64, 6to4) are judged by the embedded address. Text that
 * is not an IP address returns "not an IP address", so callers fail closed.
 */
export function classifyAddress(ip: string): string | undefined {
  const address = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (isIPv4(address)) return classifyIpv4(parseIpv4(address));

  const withoutZone = address.split('%')[0] ?? '';
  if (isIPv6(withoutZone)) return classifyIpv6(parseIpv6(withoutZone));
  return 'not an IP address';
}

/** Tells whether an address is private, loopback, link-local, reserved or a cloud metadata address. */
export function isPrivateAddress(ip: string): boolean {
  return classifyAddress(ip) !== undefined;
}

function classifyIpv4(value: number): string | undefined {
  for (const candidate of IPV4_RANGES) {
    if (inIpv4Range(value, candidate)) return candidate.name;
  }
  return undefined;
}

function classifyIpv6(groups: readonly number[]): string | undefined {
  for (const candidate of IPV6_RANGES) {
    if (!inIpv6Range(groups, candidate)) continue;
    if (candidate.embeddedIpv4At === undefined) return candidate.name;

    const embedded = readEmbeddedIpv4(groups, candidate.embeddedIpv4At);
    const inner = classifyIpv4(embedded);
    return inner === undefined ? undefined : `${candidate.name} ${inner}`;
  }
  return undefined;
}

function range4(address: string, prefix: number, name: string): Ipv4Range {
  return { base: parseIpv4(address), prefix, name };
}

function parseIpv4(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function inIpv4Range(value: number, candidate: Ipv4Range): boolean {
  const size = 2 ** (32 - candidate.prefix);
  return Math.floor(value / size) === Math.floor(candidate.base / size);
}

/** Expands an IPv6 address (already validated) into eight 16-bit groups. */
function parseIpv6(address: string): number[] {
  let text = address.toLowerCase();

  // A dotted IPv4 tail ("::ffff:10.0.0.1") is rewritten as the two hex groups it stands for.
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const value = parseIpv4(last);
    text = `${text.slice(0, lastColon + 1)}${Math.floor(value / 65536).toString(16)}:${(value % 65536).toString(16)}`;
  }

  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':').map((group) => parseInt(group, 16));
  if (rest === undefined) return headGroups;

  const restGroups = rest === '' ? [] : rest.split(':').map((group) => parseInt(group, 16));
  const zeros = new Array<number>(8 - headGroups.length - restGroups.length).fill(0);
  return [...headGroups, ...zeros, ...restGroups];
}

function inIpv6Range(groups: readonly number[], candidate: Ipv6Range): boolean {
  let bits = candidate.prefix;
  for (let index = 0; index < 8 && bits > 0; index += 1) {
    const take = Math.min(16, bits);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if (((groups[index] ?? 0) & mask) !== ((candidate.groups[index] ?? 0) & mask)) return false;
    bits -= take;
  }
  return true;
}

function readEmbeddedIpv4(groups: readonly number[], bitOffset: number): number {
  const index = bitOffset / 16;
  return (groups[index] ?? 0) * 65536 + (groups[index + 1] ?? 0);
}
