/** IPv4 text (`a.b.c.d` with an optional `/prefix`) as Kusto's ipv4 functions read it. */

export interface Ipv4 {
  /** The address as an unsigned 32-bit number (before masking). */
  address: number;
  /** The prefix length, 32 when the text has none. */
  prefix: number;
}

const IPV4 = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?\s*$/;

export function parseIpv4(text: string): Ipv4 | null {
  const m = IPV4.exec(text);
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return null;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return null;
  return { address: ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!, prefix };
}

/** The address with the bits beyond the prefix cleared. */
export function masked(address: number, prefix: number): number {
  if (prefix <= 0) return 0;
  return prefix >= 32 ? address : Number((BigInt(address) >> BigInt(32 - prefix)) << BigInt(32 - prefix));
}

/** 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16 (RFC 1918). */
export function isPrivate(address: number): boolean {
  return address >>> 24 === 10 || address >>> 20 === 0xac1 || address >>> 16 === 0xc0a8;
}

export function formatIpv4(address: number): string {
  return [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
}
