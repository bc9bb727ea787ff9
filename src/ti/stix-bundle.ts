/**
 * STIX 2.1 bundles (and STIX 2.0 ones, whose indicators lack pattern_type) → indicators. Every
 * `indicator` object is either read or rejected with the reason (bad pattern, pattern Quarry
 * cannot map, missing or malformed field); other objects (identities, marking definitions,
 * relationships, …) are counted, and TLP marking definitions colour the indicators that cite them.
 */
import type { IngestRejection } from '../ingest/types.js';
import { TI_TABLE, type Indicator } from './indicator.js';
import { observablesOf } from './observables.js';
import { parseStixPattern } from './stix-pattern.js';

export interface FeedRead {
  indicators: Indicator[];
  rejections: IngestRejection[];
  /** Objects that are not indicators, by STIX type (not stored). */
  skipped: Record<string, number>;
}

/** The four TLP 1.0 marking definitions STIX 2.1 fixes by id (§7.2.1.4), and TLP 2.0's. */
const TLP_MARKINGS: Record<string, string> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'white',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487': 'clear',
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb': 'green',
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421': 'amber',
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003': 'amber+strict',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1': 'red',
};

const STIX_ID = /^indicator--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

class FieldError extends Error {}

/** Reads a bundle's text. `source` names the file in rejections (`feed.json[objects[3]]`). */
export function readStixBundle(text: string, source: string): FeedRead {
  const result: FeedRead = { indicators: [], rejections: [], skipped: {} };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    result.rejections.push({ source, raw: text, reason: `not JSON: ${(err as Error).message}`, table: TI_TABLE });
    return result;
  }
  let objects: unknown[];
  let where: string;
  if (Array.isArray(doc)) [objects, where] = [doc, ''];
  else if (isObject(doc) && doc.type === 'bundle') {
    if (!Array.isArray(doc.objects)) {
      result.rejections.push({ source, raw: text, reason: 'a STIX bundle needs an "objects" array', table: TI_TABLE });
      return result;
    }
    [objects, where] = [doc.objects, 'objects'];
  } else if (isObject(doc) && typeof doc.type === 'string') [objects, where] = [[doc], ''];
  else {
    result.rejections.push({ source, raw: text, reason: 'not a STIX bundle, object or array of objects', table: TI_TABLE });
    return result;
  }

  // Bundle-local TLP marking definitions (`definition_type: tlp`) add to the fixed ones.
  const markings = { ...TLP_MARKINGS };
  for (const o of objects) {
    if (isObject(o) && o.type === 'marking-definition' && typeof o.id === 'string') {
      const def = o.definition;
      if (o.definition_type === 'tlp' && isObject(def) && typeof def.tlp === 'string') markings[o.id] = def.tlp.toLowerCase();
      else if (typeof o.name === 'string' && /^TLP:/i.test(o.name)) markings[o.id] = o.name.slice(4).trim().toLowerCase();
    }
  }

  objects.forEach((o, i) => {
    const at = `${source}[${where ? `${where}[${i}]` : i}]`;
    if (!isObject(o) || typeof o.type !== 'string') {
      result.rejections.push({ source: at, raw: JSON.stringify(o) ?? String(o), reason: 'not a STIX object (an object with a "type")', table: TI_TABLE });
      return;
    }
    if (o.type !== 'indicator') {
      result.skipped[o.type] = (result.skipped[o.type] ?? 0) + 1;
      return;
    }
    try {
      result.indicators.push(indicatorOf(o, markings));
    } catch (err) {
      const id = typeof o.id === 'string' ? `${o.id}: ` : '';
      result.rejections.push({ source: at, raw: JSON.stringify(o), reason: `${id}${(err as Error).message}`, table: TI_TABLE });
    }
  });
  return result;
}

function indicatorOf(o: Record<string, unknown>, markings: Record<string, string>): Indicator {
  const id = o.id;
  if (typeof id !== 'string' || !STIX_ID.test(id)) throw new FieldError(`"id" must be indicator--<UUID>, got ${JSON.stringify(id)}`);
  const patternType = o.pattern_type ?? 'stix'; // STIX 2.0 indicators have no pattern_type: always STIX patterns
  if (patternType !== 'stix') throw new FieldError(`pattern_type "${String(patternType)}" is not supported (only STIX patterns map to observables)`);
  if (typeof o.pattern !== 'string') throw new FieldError('"pattern" is missing');
  let observables;
  try {
    observables = observablesOf(parseStixPattern(o.pattern));
  } catch (err) {
    throw new FieldError(`pattern ${o.pattern}: ${(err as Error).message}`);
  }
  const created = time(o, 'created', true)!;
  const modified = time(o, 'modified', false) ?? created;
  const validFrom = time(o, 'valid_from', false) ?? created;
  const validUntil = time(o, 'valid_until', false);
  if (validUntil && validUntil.getTime() <= validFrom.getTime()) throw new FieldError(`valid_until ${String(o.valid_until)} is not after valid_from`);
  let confidence: number | undefined;
  if (o.confidence !== undefined) {
    if (typeof o.confidence !== 'number' || !Number.isInteger(o.confidence) || o.confidence < 0 || o.confidence > 100) {
      throw new FieldError(`confidence must be an integer 0-100, got ${JSON.stringify(o.confidence)}`);
    }
    confidence = o.confidence;
  }
  if (o.revoked !== undefined && typeof o.revoked !== 'boolean') throw new FieldError(`revoked must be true or false, got ${JSON.stringify(o.revoked)}`);
  const labels = Array.isArray(o.labels) ? o.labels.filter((l): l is string => typeof l === 'string') : [];
  const refs = Array.isArray(o.object_marking_refs) ? o.object_marking_refs : [];
  const tlp = refs.map((r) => (typeof r === 'string' ? markings[r] : undefined)).find((t) => t !== undefined);
  return { id, pattern: o.pattern, observables, created, modified, validFrom, validUntil, revoked: o.revoked === true, confidence, labels, tlp, data: o };
}

function time(o: Record<string, unknown>, field: string, required: boolean): Date | undefined {
  const v = o[field];
  if (v === undefined) {
    if (required) throw new FieldError(`"${field}" is missing`);
    return undefined;
  }
  const d = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v) ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new FieldError(`"${field}" must be an RFC 3339 UTC timestamp (2024-01-31T12:00:00Z), got ${JSON.stringify(v)}`);
  return d;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
