/**
 * From a parsed STIX pattern to the observables Sentinel's indicator tables hold: one
 * (ObservableKey, ObservableValue) pair per equality comparison on an IP address, domain, URL,
 * e-mail address or file hash. A pattern is mapped only when every part of it can be: patterns
 * with FOLLOWEDBY, qualifiers, negation, ranges, LIKE/MATCHES, CIDR subset tests or other object
 * properties are refused with the reason, so an indicator is never stored meaning less than it says.
 *
 * AND and OR are both accepted. OR lists alternatives; AND names several properties of what is
 * seen (`[file:hashes.MD5 = 'a' AND file:hashes.'SHA-256' = 'b']` — two hashes of one file).
 * Sentinel's TI map rules match one observable at a time, so each becomes a row of its own; a
 * file name beside a hash in an AND is context (the legacy FileName column), not an observable.
 */
import { isIP } from 'node:net';
import type { Comparison, Literal, ObjectPath, Observation } from './stix-pattern.js';

export interface Observable {
  /** Sentinel's ObservableKey: the object path as written in the pattern (`file:hashes.'SHA-256'`). */
  key: string;
  value: string;
  /** Legacy-table kind of the value. */
  kind: 'ip' | 'cidr' | 'source-ip' | 'destination-ip' | 'domain' | 'url' | 'email' | 'file-hash';
  /** Hash algorithm for file hashes, in the legacy table's spelling (MD5, SHA1, SHA256, …). */
  hashType?: string;
  /** A file name given with the hash in the same AND. */
  fileName?: string;
}

export class PatternMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternMappingError';
  }
}

/** Hash algorithms STIX names in `file:hashes.X`, with their hex length. */
const HASHES: Record<string, { type: string; length: number }> = {
  MD5: { type: 'MD5', length: 32 },
  'SHA-1': { type: 'SHA1', length: 40 },
  SHA1: { type: 'SHA1', length: 40 },
  'SHA-256': { type: 'SHA256', length: 64 },
  SHA256: { type: 'SHA256', length: 64 },
  'SHA-512': { type: 'SHA512', length: 128 },
  SHA512: { type: 'SHA512', length: 128 },
  'SHA3-256': { type: 'SHA3256', length: 64 },
  'SHA3-512': { type: 'SHA3512', length: 128 },
};

const SUPPORTED = "ipv4-addr:value, ipv6-addr:value, network-traffic:src_ref.value / dst_ref.value, domain-name:value, url:value, email-addr:value and file:hashes.<MD5|SHA-1|SHA-256|SHA-512>";

/** The observables of a pattern; throws PatternMappingError saying what cannot be mapped. */
export function observablesOf(pattern: Observation): Observable[] {
  const out: Observable[] = [];
  walkObservation(pattern, out);
  if (out.length === 0) throw new PatternMappingError(`the pattern names no observable Quarry can match (supported: ${SUPPORTED})`);
  // One row per distinct key and value.
  const seen = new Set<string>();
  return out.filter((o) => {
    const k = `${o.key}\u0000${o.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function walkObservation(o: Observation, out: Observable[]): void {
  if (o.qualifiers.length) {
    const q = o.qualifiers[0]!;
    const name = q.kind === 'startstop' ? 'START … STOP' : q.kind.toUpperCase();
    throw new PatternMappingError(`qualifier ${name} limits when the observations must be seen; an indicator row cannot express it`);
  }
  if (o.kind === 'followedby') throw new PatternMappingError('FOLLOWEDBY asks for observations in order; an indicator row cannot express a sequence');
  if (o.kind === 'observation') {
    out.push(...comparisonObservables(o.comparison));
    return;
  }
  for (const item of o.items) walkObservation(item, out);
}

function comparisonObservables(c: Comparison): Observable[] {
  if (c.kind === 'exists') throw new PatternMappingError(`EXISTS ${c.path.text} tests for a property, not a value to match`);
  if (c.kind === 'and' || c.kind === 'or') {
    if (c.kind === 'or') return c.items.flatMap(comparisonObservables);
    // File names beside hashes are context for the hashes, not observables of their own.
    const names = c.items.filter(isFileName);
    const rest = c.items.filter((i) => !isFileName(i));
    const found = rest.flatMap(comparisonObservables);
    if (names.length && found.some((o) => o.kind === 'file-hash')) {
      const fileName = names.map((n) => stringValue((n as { value: Literal }).value, 'file:name')).join(', ');
      return found.map((o) => (o.kind === 'file-hash' ? { ...o, fileName } : o));
    }
    if (names.length) throw new PatternMappingError('file:name alone is not an indicator Quarry can match (it needs a file hash in the same AND)');
    return found;
  }
  const path = c.path;
  if (c.negated) throw new PatternMappingError(`NOT ${c.op} on ${path.text} matches everything but a value; an indicator row holds values to match`);
  if (c.op !== '=' && c.op !== 'IN') {
    const hint = c.op === 'ISSUBSET' ? ' (write the CIDR block as the value: ipv4-addr:value = \'10.0.0.0/8\')' : '';
    throw new PatternMappingError(`operator ${c.op} on ${path.text} is not supported; Quarry maps = and IN comparisons${hint}`);
  }
  if (path.text === 'file:name') throw new PatternMappingError('file:name alone is not an indicator Quarry can match (it needs a file hash in the same AND)');
  const values = Array.isArray(c.value) ? c.value : [c.value];
  return values.map((v) => observable(path, stringValue(v, path.text)));
}

function isFileName(c: Comparison): boolean {
  return c.kind === 'compare' && c.path.text === 'file:name' && !c.negated && c.op === '=';
}

function stringValue(v: Literal, path: string): string {
  if (v.kind !== 'string') throw new PatternMappingError(`${path} is compared with a ${v.kind}; a string is expected`);
  return v.value;
}

function observable(path: ObjectPath, value: string): Observable {
  const key = path.text;
  const names = path.steps.map((s) => ('name' in s ? s.name : `[${s.index}]`));
  const prop = names.join('.');
  switch (path.objectType) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      if (prop === 'value') return ipObservable(key, value, path.objectType === 'ipv4-addr' ? 4 : 6, 'ip');
      break;
    case 'network-traffic':
      if (prop === 'src_ref.value') return ipObservable(key, value, 0, 'source-ip');
      if (prop === 'dst_ref.value') return ipObservable(key, value, 0, 'destination-ip');
      break;
    case 'domain-name':
      if (prop === 'value') {
        if (!/^(?=.{1,253}$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}\.?$/.test(value)) {
          throw new PatternMappingError(`domain-name:value '${value}' is not a domain name`);
        }
        return { key, value, kind: 'domain' };
      }
      break;
    case 'url':
      if (prop === 'value') {
        if (value.trim() === '' || /\s/.test(value)) throw new PatternMappingError(`url:value '${value}' is not a URL`);
        return { key, value, kind: 'url' };
      }
      break;
    case 'email-addr':
      if (prop === 'value') {
        if (!/^[^@\s]+@[^@\s]+$/.test(value)) throw new PatternMappingError(`email-addr:value '${value}' is not an e-mail address`);
        return { key, value, kind: 'email' };
      }
      break;
    case 'file':
      if (names.length === 2 && names[0] === 'hashes') {
        const algo = HASHES[names[1]!.toUpperCase()];
        if (!algo) throw new PatternMappingError(`hash algorithm '${names[1]}' in ${key} is not supported (MD5, SHA-1, SHA-256, SHA-512, SHA3-256, SHA3-512)`);
        if (!new RegExp(`^[0-9a-fA-F]{${algo.length}}$`).test(value)) {
          throw new PatternMappingError(`${key} '${value}' is not a ${names[1]} hash (${algo.length} hexadecimal digits expected)`);
        }
        return { key, value, kind: 'file-hash', hashType: algo.type };
      }
      break;
  }
  throw new PatternMappingError(`${key} is not an observable Quarry can match (supported: ${SUPPORTED})`);
}

function ipObservable(key: string, value: string, version: 0 | 4 | 6, kind: 'ip' | 'source-ip' | 'destination-ip'): Observable {
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  const family = isIP(address);
  const okFamily = family !== 0 && (version === 0 || family === version);
  const prefix = slash < 0 ? undefined : Number(value.slice(slash + 1));
  const okPrefix = prefix === undefined || (/^\d{1,3}$/.test(value.slice(slash + 1)) && prefix <= (family === 6 ? 128 : 32));
  if (!okFamily || !okPrefix) throw new PatternMappingError(`${key} '${value}' is not an IPv${version || '4/6'} address or CIDR block`);
  // A CIDR block of a single address (/32, /128) is the address itself.
  if (prefix !== undefined && prefix !== (family === 6 ? 128 : 32)) return { key, value, kind: kind === 'ip' ? 'cidr' : kind };
  return { key, value: address, kind };
}
