/**
 * The formats `quarry ingest` knows, by name, with their detection. Each format module
 * registers itself in formats/index.ts; detection asks every format how well a file's name
 * and first bytes fit it and takes the best.
 */
import { readHead } from './input.js';
import type { FormatReader } from './types.js';

export interface ReaderOptions {
  /** Target table (required by the generic JSON, NDJSON and CSV readers). */
  table?: string;
  /** Source field → column renames (`--map src=dest`). */
  mapping?: Readonly<Record<string, string>>;
  /** Arrival time, for formats whose time stamps lack a year (RFC 3164). */
  received?: Date;
}

export interface FormatDefinition {
  /** The `--format` name. */
  name: string;
  description: string;
  /**
   * How well the file fits, 0 (not at all) to 100 (certain), from its name and its first
   * bytes (decompressed, decoded as UTF-8 / Latin-1 when not text).
   */
  detect(file: string, head: Buffer): number;
  create(options: ReaderOptions): FormatReader;
}

const formats = new Map<string, FormatDefinition>();

export function registerFormat(def: FormatDefinition): void {
  formats.set(def.name, def);
}

export function getFormat(name: string): FormatDefinition | undefined {
  return formats.get(name.toLowerCase());
}

export function formatNames(): string[] {
  return [...formats.keys()].sort();
}

/** Bytes read from the start of a file for detection. */
export const DETECT_BYTES = 64 * 1024;

/** The best-fitting format of a file, or undefined when none fits. */
export async function detectFormat(file: string): Promise<FormatDefinition | undefined> {
  const head = await readHead(file, DETECT_BYTES);
  let best: FormatDefinition | undefined;
  let bestScore = 0;
  for (const def of formats.values()) {
    const score = def.detect(file, head);
    if (score > bestScore) {
      best = def;
      bestScore = score;
    }
  }
  return best;
}

const firstLines = new WeakMap<Buffer, string>();

/**
 * The first non-empty line of the head, as text. Every format's detect() asks, for every file:
 * the answer is kept per head, and only the bytes up to that line are decoded (UTF-8 never has
 * a 0x0A byte inside a character, so decoding line by line reads the same text).
 */
export function firstLine(head: Buffer): string {
  let line = firstLines.get(head);
  if (line === undefined) firstLines.set(head, (line = findFirstLine(head)));
  return line;
}

function findFirstLine(head: Buffer): string {
  let start = 0;
  while (start < head.length) {
    let end = head.indexOf(0x0a, start);
    if (end === -1) end = head.length;
    let text = head.toString('utf8', start, end);
    if (start === 0) text = text.replace(/^\uFEFF/, '');
    if (text.trim() !== '') return text.replace(/\r$/, '');
    start = end + 1;
  }
  return '';
}

/** The file name without folders and without `.gz`. */
export function baseName(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.gz$/i, '');
}
