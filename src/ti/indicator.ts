/**
 * One threat-intelligence indicator as Quarry stores it, whatever feed it came from, and its
 * rows in `ThreatIntelIndicators` (Sentinel's STIX-shaped table): one row per observable, all
 * sharing the indicator's Id, so `summarize arg_max(TimeGenerated, *) by Id, ObservableValue`
 * reads as in Sentinel.
 *
 * Expiry: `valid_until`, else `valid_from` + the import's default lifetime (the legacy rules
 * compare `ExpirationDateTime > now()`, so an indicator without an end would never match them).
 * IsActive is false for revoked indicators and for those already expired when written;
 * republishing (store.ts) recomputes it as time passes.
 */
import type { IngestRow } from '../ingest/types.js';
import type { Observable } from './observables.js';

export const TI_TABLE = 'ThreatIntelIndicators';
/** LastUpdateMethod of rows written by an import; republished rows say LogARepublisher, as in Sentinel. */
export const IMPORT_METHOD = 'QuarryImport';

export interface Indicator {
  /** The STIX id (`indicator--<uuid>`); re-imports with the same id replace the stored indicator. */
  id: string;
  pattern: string;
  observables: Observable[];
  created: Date;
  modified: Date;
  validFrom: Date;
  /** Undefined: the import's default lifetime applies. */
  validUntil?: Date;
  revoked: boolean;
  confidence?: number;
  labels: string[];
  /** TLP level name (white/clear, green, amber, amber+strict, red) when the feed marks one. */
  tlp?: string;
  /** The STIX object (or, for CSV feeds, the STIX object Quarry made of the row). */
  data: Record<string, unknown>;
}

export interface RowOptions {
  /** The time of the import: TimeGenerated, and the moment IsActive is judged at. */
  now: Date;
  /** Milliseconds an indicator without valid_until stays valid after valid_from; 0 = forever. */
  defaultLifetimeMs: number;
  /** SourceSystem: the feed's name. */
  source: string;
}

/** The end of an indicator's validity (undefined: never expires). */
export function expiryOf(ind: Indicator, defaultLifetimeMs: number): Date | undefined {
  if (ind.validUntil) return ind.validUntil;
  return defaultLifetimeMs > 0 ? new Date(ind.validFrom.getTime() + defaultLifetimeMs) : undefined;
}

/** The indicator's rows for ThreatIntelIndicators. */
export function indicatorRows(ind: Indicator, options: RowOptions): IngestRow[] {
  const validUntil = expiryOf(ind, options.defaultLifetimeMs);
  const expired = validUntil !== undefined && validUntil.getTime() <= options.now.getTime();
  const additional: Record<string, unknown> = {};
  if (ind.tlp) additional.TLPLevel = ind.tlp;
  const types = ind.data.indicator_types;
  if (Array.isArray(types) && types.length) additional.IndicatorTypes = types;
  return ind.observables.map((o) => ({
    table: TI_TABLE,
    values: {
      TimeGenerated: options.now,
      Id: ind.id,
      ObservableKey: o.key,
      ObservableValue: o.value,
      Pattern: ind.pattern,
      Data: ind.data,
      IsActive: !ind.revoked && !expired,
      IsDeleted: false,
      Revoked: ind.revoked,
      Created: ind.created,
      Modified: ind.modified,
      ValidFrom: ind.validFrom,
      ValidUntil: validUntil ?? null,
      Confidence: ind.confidence ?? null,
      Tags: ind.labels.length ? JSON.stringify(ind.labels) : '',
      LastUpdateMethod: IMPORT_METHOD,
      SourceSystem: options.source,
      AdditionalFields: { ...additional, ...(o.fileName ? { FileName: o.fileName } : {}), ...(o.hashType ? { FileHashType: o.hashType } : {}) },
    },
  }));
}

/** Parses a lifetime such as `90d`, `12h`, `0` (never expires) into milliseconds. */
export function parseLifetime(text: string): number {
  const m = /^\s*(\d+)\s*([dhm]?)\s*$/.exec(text);
  if (!m) throw new Error(`lifetime ${JSON.stringify(text)} is not a number of days (90d), hours (12h) or minutes (30m); 0 never expires`);
  const n = Number(m[1]);
  const unit = m[2] === 'h' ? 3_600_000 : m[2] === 'm' ? 60_000 : 86_400_000;
  return n * unit;
}

/** Default lifetime of indicators without valid_until. */
export const DEFAULT_LIFETIME = '90d';
