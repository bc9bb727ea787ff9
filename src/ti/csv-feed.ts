/**
 * Flat CSV indicator feeds → indicators. The header names the columns; Quarry's fields are
 * found by name (case-insensitive, with the aliases below) or by an explicit mapping
 * (`--map "IOC Value=value"`). Each row becomes a STIX indicator: its pattern is written from the
 * value and type and read back through the same pattern parser as a bundle's, so a CSV row and a
 * STIX indicator for the same thing store the same rows and fail the same checks.
 *
 * Fields: value (required); type (ipv4-addr, ipv6-addr, ip, domain-name/domain, url,
 * email-addr/email, md5, sha1, sha256, sha512, or a STIX path such as file:hashes.'SHA-256'; empty
 * = recognised from the value); id (else one derived from source, type and value, so re-importing
 * the feed updates rather than duplicates); name, description, confidence, labels (`;` or `,`
 * separated), threat_type, valid_from, valid_until, created, modified, revoked.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { CsvTokenizer } from '../ingest/formats/csv.js';
import type { IngestRejection } from '../ingest/types.js';
import { parseIsoMicros } from '../ingest/values.js';
import { TI_TABLE, type Indicator } from './indicator.js';
import { observablesOf } from './observables.js';
import type { FeedRead } from './stix-bundle.js';
import { parseStixPattern } from './stix-pattern.js';

/** A feed that cannot be read at all (no value column, a mapping to an unknown field). */
export class FeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedError';
  }
}

export const CSV_FIELDS = ['value', 'type', 'id', 'name', 'description', 'confidence', 'labels', 'threat_type', 'valid_from', 'valid_until', 'created', 'modified', 'revoked'] as const;
type Field = (typeof CSV_FIELDS)[number];

/** Header names read as a field without a mapping (besides the field's own name). */
const ALIASES: Record<string, Field> = {
  indicator: 'value', ioc: 'value', observable: 'value', observablevalue: 'value',
  indicator_type: 'type', ioc_type: 'type', observablekey: 'type',
  tags: 'labels', expiration: 'valid_until', expirationdatetime: 'valid_until', expires: 'valid_until',
  first_seen: 'valid_from', last_seen: 'modified', threattype: 'threat_type', confidencescore: 'confidence',
};

const TYPE_PATHS: Record<string, string> = {
  'ipv4-addr': 'ipv4-addr:value', ipv4: 'ipv4-addr:value', 'ipv6-addr': 'ipv6-addr:value', ipv6: 'ipv6-addr:value',
  'domain-name': 'domain-name:value', domain: 'domain-name:value', hostname: 'domain-name:value',
  url: 'url:value', uri: 'url:value', 'email-addr': 'email-addr:value', email: 'email-addr:value',
  md5: "file:hashes.MD5", sha1: "file:hashes.'SHA-1'", 'sha-1': "file:hashes.'SHA-1'",
  sha256: "file:hashes.'SHA-256'", 'sha-256': "file:hashes.'SHA-256'", sha512: "file:hashes.'SHA-512'", 'sha-512': "file:hashes.'SHA-512'",
};

export interface CsvFeedOptions {
  /** Feed column → field (`{"IOC Value": "value"}`), on top of the names and aliases. */
  mapping?: Readonly<Record<string, string>>;
  /** The feed's name: part of derived ids, so two feeds listing one IP stay two indicators. */
  source: string;
  /** Stands in for missing created/modified/valid_from. */
  now: Date;
}

export function readCsvFeed(text: string, file: string, options: CsvFeedOptions): FeedRead {
  const result: FeedRead = { indicators: [], rejections: [], skipped: {} };
  for (const [column, field] of Object.entries(options.mapping ?? {})) {
    if (!(CSV_FIELDS as readonly string[]).includes(field)) {
      throw new FeedError(`--map ${column}=${field}: ${field} is not a feed field (${CSV_FIELDS.join(', ')})`);
    }
  }
  const tokenizer = new CsvTokenizer();
  let columns: Array<Field | undefined> | undefined;
  const records = [...tokenizer.feed(text.replace(/^\uFEFF/, '')), ...tokenizer.end()];
  for (const rec of records) {
    const source = `${file}:${rec.line}`;
    const reject = (reason: string) => result.rejections.push({ source, raw: rec.raw, reason, table: TI_TABLE } satisfies IngestRejection);
    if (rec.error) { reject(rec.error); continue; }
    if (!columns) {
      columns = headerFields(rec.fields, options.mapping);
      if (!columns.includes('value')) {
        throw new FeedError(`${file}: no column gives the indicator value (name one "value", or map it: --map "<column>=value"); columns: ${rec.fields.join(', ')}`);
      }
      continue;
    }
    if (rec.fields.length > columns.length) { reject(`record on line ${rec.line} has ${rec.fields.length} fields; the header has ${columns.length}`); continue; }
    const row: Partial<Record<Field, string>> = {};
    columns.forEach((f, i) => { if (f && rec.fields[i] !== undefined && rec.fields[i]!.trim() !== '') row[f] = rec.fields[i]!.trim(); });
    try {
      result.indicators.push(indicatorOfRow(row, options));
    } catch (err) {
      reject((err as Error).message);
    }
  }
  return result;
}

function headerFields(header: string[], mapping: Readonly<Record<string, string>> | undefined): Array<Field | undefined> {
  const mapped = new Map(Object.entries(mapping ?? {}).map(([k, v]) => [k.trim().toLowerCase(), v as Field]));
  return header.map((h) => {
    const name = h.trim().replace(/^\uFEFF/, '').toLowerCase();
    if (mapped.has(name)) return mapped.get(name);
    if ((CSV_FIELDS as readonly string[]).includes(name)) return name as Field;
    return ALIASES[name.replace(/\s+/g, '_')];
  });
}

function indicatorOfRow(row: Partial<Record<Field, string>>, options: CsvFeedOptions): Indicator {
  const value = row.value;
  if (!value) throw new Error('the indicator value is empty');
  const path = pathFor(row.type, value);
  const pattern = `[${path} = '${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  let observables;
  try {
    observables = observablesOf(parseStixPattern(pattern));
  } catch (err) {
    throw new Error(`${value}: ${(err as Error).message}`);
  }
  const now = options.now;
  const created = date(row.created, 'created') ?? now;
  const modified = date(row.modified, 'modified') ?? now;
  const validFrom = date(row.valid_from, 'valid_from') ?? created;
  const validUntil = date(row.valid_until, 'valid_until');
  if (validUntil && validUntil.getTime() <= validFrom.getTime()) throw new Error(`valid_until ${row.valid_until} is not after valid_from`);
  let confidence: number | undefined;
  if (row.confidence !== undefined) {
    confidence = Number(row.confidence);
    if (!Number.isInteger(confidence) || confidence < 0 || confidence > 100) throw new Error(`confidence must be an integer 0-100, got ${row.confidence}`);
  }
  let revoked = false;
  if (row.revoked !== undefined) {
    if (!/^(true|false|1|0|yes|no)$/i.test(row.revoked)) throw new Error(`revoked must be true or false, got ${row.revoked}`);
    revoked = /^(true|1|yes)$/i.test(row.revoked);
  }
  const labels = row.labels ? row.labels.split(/[;,]/).map((l) => l.trim()).filter(Boolean) : [];
  const id = row.id ?? derivedId(options.source, path, value);
  if (!/^indicator--[0-9a-fA-F-]{36}$/.test(id)) throw new Error(`id must be indicator--<UUID>, got ${id}`);
  // The STIX object this row stands for (the Data column).
  const data: Record<string, unknown> = {
    type: 'indicator', spec_version: '2.1', id, pattern, pattern_type: 'stix',
    created: created.toISOString(), modified: modified.toISOString(), valid_from: validFrom.toISOString(),
    ...(validUntil ? { valid_until: validUntil.toISOString() } : {}),
    ...(row.name ? { name: row.name } : {}), ...(row.description ? { description: row.description } : {}),
    ...(row.threat_type ? { indicator_types: [row.threat_type] } : {}),
    ...(labels.length ? { labels } : {}), ...(confidence !== undefined ? { confidence } : {}), ...(revoked ? { revoked } : {}),
  };
  return { id, pattern, observables, created, modified, validFrom, validUntil, revoked, confidence, labels, data };
}

/** The STIX path of a row's value: from its type, or recognised from the value itself. */
function pathFor(type: string | undefined, value: string): string {
  if (type) {
    const t = type.trim();
    if (t.includes(':')) return t; // already a STIX path (ObservableKey)
    const path = TYPE_PATHS[t.toLowerCase()];
    if (path) return path;
    if (t.toLowerCase() === 'ip') return isIP(value.split('/')[0]!) === 6 ? 'ipv6-addr:value' : 'ipv4-addr:value';
    throw new Error(`type "${t}" is not an indicator type (${Object.keys(TYPE_PATHS).join(', ')}, ip)`);
  }
  const family = isIP(value.split('/')[0]!);
  if (family) return family === 6 ? 'ipv6-addr:value' : 'ipv4-addr:value';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'url:value';
  if (value.includes('@')) return 'email-addr:value';
  if (/^[0-9a-fA-F]+$/.test(value)) {
    const byLength: Record<number, string> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };
    const algo = byLength[value.length];
    if (algo) return TYPE_PATHS[algo]!;
  }
  if (/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/.test(value)) return 'domain-name:value';
  throw new Error(`cannot tell what kind of indicator ${JSON.stringify(value)} is; give a type column`);
}

function date(text: string | undefined, field: string): Date | undefined {
  if (text === undefined) return undefined;
  const micros = parseIsoMicros(text);
  if (micros === undefined) throw new Error(`${field} ${JSON.stringify(text)} is not an ISO 8601 date-time`);
  return new Date(Number(micros / 1000n));
}

/** A name-based (version 5 style) UUID from the feed, type and value: stable across imports. */
function derivedId(source: string, path: string, value: string): string {
  const h = createHash('sha1').update(`quarry-ti\u0000${source}\u0000${path}\u0000${value.toLowerCase()}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `indicator--${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
