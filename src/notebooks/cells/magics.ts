/** A magic line at the top of a cell: `%name argument`. */
export interface Magic {
  name: 'workspace' | 'timeout' | 'limit' | 'as';
  arg: string;
  /** 1-based line of the magic in the cell. */
  line: number;
}

export const MAGIC_HELP: Record<Magic['name'], string> = {
  workspace: '%workspace PATH|URL — the workspace folder (or Quarry server) later cells query',
  timeout: '%timeout SECONDS — stop each later query after this long (%timeout off: no limit)',
  limit: '%limit ROWS — show at most this many rows of each later result',
  as: '%as NAME — keep this cell\'s result as a table NAME for later cells',
};

/** A cell split into its magic lines and its KQL (magic lines blanked, so line numbers match the cell). */
export interface ParsedCell {
  magics: Magic[];
  code: string;
}

/** A magic line that cannot be understood; the message says which line and why. */
export class MagicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MagicError';
  }
}

/** Reads the magic lines at the top of a cell (blank and `//` comment lines may sit between them). */
export function parseCell(source: string): ParsedCell {
  const lines = source.split('\n');
  const magics: Magic[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === '' || t.startsWith('//')) continue;
    if (!t.startsWith('%')) break;
    const m = /^%(\w+)(?:\s+(.*))?$/.exec(t);
    const name = m?.[1]?.toLowerCase();
    if (!m || !name || !(name in MAGIC_HELP)) {
      throw new MagicError(`line ${i + 1}: unknown magic '${t.split(/\s/)[0]}'; the magics are:\n${Object.values(MAGIC_HELP).join('\n')}`);
    }
    const arg = (m[2] ?? '').trim();
    if (arg === '') throw new MagicError(`line ${i + 1}: ${MAGIC_HELP[name as Magic['name']]} (the argument is missing)`);
    magics.push({ name: name as Magic['name'], arg, line: i + 1 });
    // Blanked, not removed: offsets and line numbers in the code stay the cell's.
    lines[i] = ' '.repeat(lines[i]!.length);
  }
  for (let j = i; j < lines.length; j++) {
    if (/^\s*%\w/.test(lines[j]!) && !/^\s*%\s*\d/.test(lines[j]!)) {
      throw new MagicError(`line ${j + 1}: magic lines go at the top of the cell, before the query`);
    }
  }
  return { magics, code: lines.join('\n') };
}

export function parsePositive(magic: Magic, what: string): number {
  const n = Number(magic.arg);
  if (!Number.isFinite(n) || n <= 0) throw new MagicError(`line ${magic.line}: %${magic.name} expects a positive number of ${what}, not '${magic.arg}'`);
  return n;
}
