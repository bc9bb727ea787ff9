/**
 * IPv6 text as Kusto's ipv6 functions read it: full, `::`-compressed or with a trailing dotted
 * IPv4 part, with an optional `/prefix`. IPv4 text is read as its IPv4-mapped address
 * (`::ffff:a.b.c.d`) and its prefix shifted by 96 bits; so is IPv4-compatible text (`::a.b.c.d`).
 */
import { parseIpv4 } from './ipv4.js';

export interface Ipv6 {
  /** The 128-bit address, before masking. */
  address: bigint;
  /** The prefix length, 128 when the text has none. */
  prefix: number;
}

const MAPPED = 0xffffn << 32n;

function groupsOf(text: string): bigint | null {
  let s = text;
  let tail: bigint[] = [];
  const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (dotted) {
    const v4 = parseIpv4(dotted[2]!);
    if (!v4) return null;
    tail = [BigInt(v4.address >>> 16), BigInt(v4.address & 0xffff)];
    s = dotted[1]!.endsWith('::') ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): bigint[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    if (groups.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return null;
    return groups.map((g) => BigInt(parseInt(g, 16)));
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !rest) return null;
  const known = head.length + rest.length + tail.length;
  let all: bigint[];
  if (halves.length === 2) {
    if (known > 7) return null;
    all = [...head, ...Array<bigint>(8 - known).fill(0n), ...rest, ...tail];
  } else {
    if (known !== 8) return null;
    all = [...head, ...tail];
  }
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

export function parseIpv6(text: string): Ipv6 | null {
  const m = /^\s*([^/\s]+)(?:\/(\d{1,3}))?\s*$/.exec(text);
  if (!m) return null;
  // `::a.b.c.d` (IPv4-compatible) is read as the IPv4 address, its prefix in IPv4 bits too.
  const v4 = parseIpv4(m[1]!.replace(/^::(?=\d{1,3}(?:\.\d{1,3}){3}$)/, ''));
  if (v4) {
    const prefix = m[2] === undefined ? 128 : Number(m[2]) + 96;
    if (prefix > 128) return null;
    return { address: MAPPED | BigInt(v4.address), prefix };
  }
  const address = groupsOf(m[1]!);
  if (address === null) return null;
  const prefix = m[2] === undefined ? 128 : Number(m[2]);
  if (prefix > 128) return null;
  return { address, prefix };
}

export function maskedV6(address: bigint, prefix: number): bigint {
  if (prefix <= 0) return 0n;
  if (prefix >= 128) return address;
  const drop = BigInt(128 - prefix);
  return (address >> drop) << drop;
}

/** Eight groups of four lower-case hex digits (parse_ipv6's canonical form). */
export function formatIpv6(address: bigint): string {
  const hex = address.toString(16).padStart(32, '0');
  return hex.match(/.{4}/g)!.join(':');
}

/** -1, 0 or 1 over the shortest of both texts' prefixes and the explicit one; null when invalid. */
export function compareIpv6(a: string, b: string, prefix: number): number | null {
  const x = parseIpv6(a);
  const y = parseIpv6(b);
  if (!x || !y || prefix < 0 || prefix > 128) return null;
  const bits = Math.min(x.prefix, y.prefix, prefix);
  const d = maskedV6(x.address, bits) - maskedV6(y.address, bits);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** ipv6_is_in_range(ip, range): the address masked to the range's prefix equals the range's. */
export function ipv6InRange(ip: string, range: string): boolean | null {
  const x = parseIpv6(ip);
  const r = parseIpv6(range);
  if (!x || !r) return null;
  return maskedV6(x.address, r.prefix) === maskedV6(r.address, r.prefix);
}
