/**
 * One feed file into the workspace: read as a STIX bundle or a CSV feed (by --format, else by
 * its first character), due indicators republished, then the import (store.ts). Shared by
 * `quarry ti import` and the server's `POST /api/ti/import`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Ingestor } from '../ingest/ingestor.js';
import { FeedError, readCsvFeed } from './csv-feed.js';
import { DEFAULT_LIFETIME, parseLifetime } from './indicator.js';
import { readStixBundle, type FeedRead } from './stix-bundle.js';
import { importIndicators, republishIndicators, type ImportSummary } from './store.js';

export { FeedError } from './csv-feed.js';

export type FeedFormat = 'stix' | 'csv';

export interface ImportFileOptions {
  format?: FeedFormat;
  /** CSV column → feed field. */
  mapping?: Readonly<Record<string, string>>;
  /** SourceSystem (default: the file's name without extension). */
  source?: string;
  /** Lifetime of indicators without valid_until (`90d`; `0` never expires). */
  lifetime?: string;
  now?: Date;
}

export function feedFormatOf(file: string, text: string, given?: string): FeedFormat {
  if (given !== undefined) {
    if (given !== 'stix' && given !== 'csv') throw new FeedError(`--format ${given}: expected stix or csv`);
    return given;
  }
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  if (first === '{' || first === '[') return 'stix';
  if (/\.csv$/i.test(file) || first !== undefined) return 'csv';
  throw new FeedError(`${file} is empty`);
}

/** Reads a feed's text into indicators and rejections (no database involved). */
export function readFeed(file: string, text: string, options: ImportFileOptions & { now: Date; source: string }): FeedRead {
  const format = feedFormatOf(file, text, options.format);
  return format === 'stix' ? readStixBundle(text, file) : readCsvFeed(text, file, { mapping: options.mapping, source: options.source, now: options.now });
}

export function importFeedFile(ingestor: Ingestor, file: string, options: ImportFileOptions = {}): Promise<ImportSummary & { republished: number }> {
  return importFeedText(ingestor, file, readFileSync(file, 'utf8'), options);
}

/** A feed's text (an upload) into the workspace; `name` stands for the file in rejections and the default source. */
export async function importFeedText(ingestor: Ingestor, name: string, text: string, options: ImportFileOptions = {}): Promise<ImportSummary & { republished: number }> {
  const now = options.now ?? new Date();
  const source = options.source ?? path.basename(name).replace(/\.[^.]+$/, '');
  const defaultLifetimeMs = parseLifetime(options.lifetime ?? DEFAULT_LIFETIME);
  const feed = readFeed(name, text, { ...options, now, source });
  const republished = await republishIndicators(ingestor.connection, now);
  const summary = await importIndicators(ingestor, feed, name, { now, defaultLifetimeMs, source });
  return { ...summary, republished };
}
