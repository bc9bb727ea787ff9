/**
 * CSV (RFC 4180: `,` separated, `"` quoted, quotes doubled, quoted fields may span lines) into
 * a named table. The first record is the header; each later record becomes a row whose fields
 * are named by it (after `--map` renames). Values stay text: a typed column (a standard table,
 * or one declared in quarry.yaml) converts them; an inferred custom table gets string columns.
 */
import { StringDecoder } from 'node:string_decoder';
import { describeReadError, openInput } from '../input.js';
import { baseName, firstLine, type FormatDefinition } from '../registry.js';
import type { FormatReader, ReadResult } from '../types.js';
import { applyMapping } from './lines.js';

/** A quoted field longer than this is a broken quote, not a value. */
const MAX_FIELD_CHARS = 16 * 1024 * 1024;

/** Streaming RFC 4180 tokenizer: feed text, get complete records (arrays of fields). */
export class CsvTokenizer {
  private field = '';
  private record: string[] = [];
  private inQuotes = false;
  private quoteClosed = false;
  /** Raw text of the record being read, for rejections. */
  private raw = '';
  line = 1;
  recordLine = 1;

  constructor(private readonly delimiter = ',') {}

  *feed(text: string): Generator<{ fields: string[]; raw: string; line: number; error?: string }> {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.pendingQuote) {
        // The previous chunk ended on a quote inside a quoted field: `""` or the closing quote.
        this.pendingQuote = false;
        if (c === '"') { this.field += '"'; this.raw += c; continue; }
        this.inQuotes = false;
        this.quoteClosed = true;
      }
      if (this.inQuotes) {
        if (c === '"') {
          if (text[i + 1] === '"') { this.field += '"'; this.raw += '""'; i++; continue; }
          if (i + 1 === text.length) {
            // A quote at the end of the chunk: decide when the next chunk arrives.
            this.pendingQuote = true;
            this.raw += c;
            continue;
          }
          this.inQuotes = false;
          this.quoteClosed = true;
        } else {
          if (c === '\n') this.line++;
          this.field += c;
          if (this.field.length > MAX_FIELD_CHARS) {
            const raw = this.raw.slice(0, 64 * 1024);
            this.reset();
            this.inQuotes = false;
            yield { fields: [], raw, line: this.recordLine, error: `a quoted field starting on line ${this.recordLine} runs past ${MAX_FIELD_CHARS} characters (an unclosed quote?)` };
            this.recordLine = this.line;
            continue;
          }
        }
        this.raw += c;
        continue;
      }
      if (c === '"' && this.field === '' && !this.quoteClosed) {
        this.inQuotes = true;
        this.raw += c;
        continue;
      }
      if (c === this.delimiter) {
        this.record.push(this.field);
        this.field = '';
        this.quoteClosed = false;
        this.raw += c;
        continue;
      }
      if (c === '\n') {
        this.line++;
        const done = this.finishRecord();
        if (done) yield done;
        continue;
      }
      if (c === '\r' && (text[i + 1] === '\n' || i + 1 === text.length)) continue;
      this.field += c;
      this.raw += c;
    }
  }

  private pendingQuote = false;

  /** The last record when the text does not end with a newline. */
  *end(): Generator<{ fields: string[]; raw: string; line: number; error?: string }> {
    if (this.pendingQuote) { this.pendingQuote = false; this.inQuotes = false; }
    if (this.inQuotes) {
      const raw = this.raw;
      this.reset();
      yield { fields: [], raw, line: this.recordLine, error: `the quoted field starting on line ${this.recordLine} is never closed` };
      return;
    }
    const done = this.finishRecord();
    if (done) yield done;
  }

  private finishRecord() {
    this.record.push(this.field);
    const fields = this.record;
    const raw = this.raw;
    const line = this.recordLine;
    this.reset();
    this.recordLine = this.line;
    if (fields.length === 1 && fields[0] === '') return undefined; // an empty line
    return { fields, raw, line };
  }

  private reset(): void {
    this.field = '';
    this.record = [];
    this.raw = '';
    this.quoteClosed = false;
  }
}

export const csvFormat: FormatDefinition = {
  name: 'csv',
  description: 'CSV with a header row into --table',
  detect(file, head) {
    // Only by name: a comma in the first line says little.
    return /\.csv$/i.test(baseName(file)) && firstLine(head).includes(',') ? 40 : 0;
  },
  create(options): FormatReader {
    const table = options.table;
    if (!table) throw new Error('format csv needs a target table: pass --table <Table>');
    return { format: 'csv', read: ({ path }) => readCsv(path, table, options.mapping) };
  },
};

async function* readCsv(path: string, table: string, mapping?: Readonly<Record<string, string>>): AsyncGenerator<ReadResult> {
  const stream = await openInput(path);
  const decoder = new StringDecoder('utf8');
  const tokenizer = new CsvTokenizer();
  let header: string[] | undefined;
  const handle = (rec: { fields: string[]; raw: string; line: number; error?: string }): ReadResult | undefined => {
    const source = `${path}:${rec.line}`;
    if (rec.error) return { kind: 'rejection', rejection: { source, raw: rec.raw, reason: rec.error, table } };
    if (rec.raw.includes('\uFFFD')) {
      return { kind: 'rejection', rejection: { source, raw: rec.raw, reason: `record on line ${rec.line} is not valid UTF-8 (or holds U+FFFD, the mark of bytes lost before it arrived)`, table } };
    }
    if (!header) {
      header = rec.fields.map((h, i) => (h.trim() === '' ? `Column${i + 1}` : h.trim().replace(/^\uFEFF/, '')));
      return undefined;
    }
    if (rec.fields.length > header.length) {
      return { kind: 'rejection', rejection: { source, raw: rec.raw, reason: `record on line ${rec.line} has ${rec.fields.length} fields; the header has ${header.length}`, table } };
    }
    const values: Record<string, unknown> = {};
    for (let i = 0; i < header.length; i++) values[header[i]!] = rec.fields[i] ?? null;
    return { kind: 'row', row: { table, values: applyMapping(values, mapping) } };
  };
  try {
    for await (const chunk of stream) {
      for (const rec of tokenizer.feed(decoder.write(chunk as Buffer))) {
        const r = handle(rec);
        if (r) yield r;
      }
    }
  } catch (err) {
    yield { kind: 'rejection', rejection: { source: path, raw: '', reason: describeReadError(err as Error), table } };
  }
  for (const rec of tokenizer.feed(decoder.end())) {
    const r = handle(rec);
    if (r) yield r;
  }
  for (const rec of tokenizer.end()) {
    const r = handle(rec);
    if (r) yield r;
  }
}
