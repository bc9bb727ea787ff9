/**
 * format_datetime / format_timespan patterns (.NET custom format specifiers, as Kusto documents
 * them): a tokenizer shared by the SQL generator (literal patterns) and the `kql_format_*` UDFs
 * (patterns computed per row).
 */
import { str } from './common.js';

export type FormatToken = { kind: 'field'; spec: string } | { kind: 'literal'; text: string };

const FIELD_CHARS = new Set(['d', 'f', 'F', 'h', 'H', 'm', 'M', 's', 'y', 't']);

/** Splits a pattern into runs of one specifier letter and literal text (`'...'`, `"..."`, `\x` quote). */
export function tokenizeFormat(pattern: string): FormatToken[] {
  const tokens: FormatToken[] = [];
  const literal = (text: string) => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else tokens.push({ kind: 'literal', text });
  };
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      literal(pattern[i + 1]!);
      i += 2;
    } else if (c === "'" || c === '"') {
      const end = pattern.indexOf(c, i + 1);
      literal(pattern.slice(i + 1, end < 0 ? pattern.length : end));
      i = end < 0 ? pattern.length : end + 1;
    } else if (FIELD_CHARS.has(c)) {
      let j = i;
      while (j < pattern.length && pattern[j] === c) j++;
      tokens.push({ kind: 'field', spec: pattern.slice(i, j) });
      i = j;
    } else {
      literal(c);
      i++;
    }
  }
  return tokens;
}

// ---- SQL for a literal pattern --------------------------------------------------------------

/** strftime equivalents of the specifiers it can express. */
const STRFTIME: Record<string, string> = {
  d: '%-d', dd: '%d', ddd: '%a', dddd: '%A',
  h: '%-I', hh: '%I', H: '%-H', HH: '%H',
  m: '%-M', mm: '%M', M: '%-m', MM: '%m', MMM: '%b', MMMM: '%B',
  s: '%-S', ss: '%S', yy: '%y', yyyy: '%Y', tt: '%p',
};

/** Seven fraction digits of a timestamp (DuckDB keeps microseconds: the seventh is 0). */
const fraction7 = (ts: string) => `(strftime(${ts}, '%f') || '0')`;

function datetimeField(ts: string, spec: string): string | undefined {
  const letter = spec[0]!;
  const n = spec.length;
  if (letter === 'f' && n <= 7) return `substr(${fraction7(ts)}, 1, ${n})`;
  if (letter === 'F' && n <= 7) return `rtrim(substr(${fraction7(ts)}, 1, ${n}), '0')`;
  if (spec === 'y') return `CAST(year(${ts}) % 100 AS VARCHAR)`;
  if (letter === 'y') return `printf('%0${n}d', year(${ts}))`;
  if (spec === 't') return `substr(strftime(${ts}, '%p'), 1, 1)`;
  return undefined;
}

/**
 * SQL text of format_datetime with a literal pattern: runs of specifiers strftime knows become
 * one strftime call; the rest (fractions, `y`, `t`) are spliced in. `''` for a null datetime.
 */
export function formatDatetimeSql(ts: string, pattern: string): string {
  const pieces: string[] = [];
  let strftimeRun = '';
  const flush = () => {
    if (strftimeRun) pieces.push(`strftime(${ts}, ${str(strftimeRun)})`);
    strftimeRun = '';
  };
  const tokens = tokenizeFormat(pattern);
  tokens.forEach((token, i) => {
    if (token.kind === 'literal') {
      // An `F` run that prints nothing also drops the '.' right before it (.NET behaviour).
      const next = tokens[i + 1];
      if (next?.kind === 'field' && next.spec[0] === 'F' && token.text.endsWith('.')) {
        strftimeRun += token.text.slice(0, -1).replace(/%/g, '%%');
        flush();
        const digits = datetimeField(ts, next.spec)!;
        pieces.push(`(CASE WHEN ${digits} = '' THEN '' ELSE '.' END)`);
        return;
      }
      strftimeRun += token.text.replace(/%/g, '%%');
      return;
    }
    const direct = STRFTIME[token.spec];
    if (direct) {
      strftimeRun += direct;
      return;
    }
    const sql = datetimeField(ts, token.spec);
    if (sql === undefined) {
      strftimeRun += token.spec.replace(/%/g, '%%');
      return;
    }
    flush();
    pieces.push(sql);
  });
  flush();
  if (!pieces.length) return `(CASE WHEN ${ts} IS NULL THEN '' ELSE '' END)`;
  return `coalesce(${pieces.join(' || ')}, '')`;
}

/** SQL text of format_timespan with a literal pattern (fields of the absolute value). */
export function formatTimespanSql(ticks: string, pattern: string): string {
  const a = `abs(${ticks})`;
  const fraction = `printf('%07d', ${a} % 10000000)`;
  const pieces = tokenizeFormat(pattern).map((token) => {
    if (token.kind === 'literal') return str(token.text);
    const letter = token.spec[0]!;
    const n = token.spec.length;
    const padded = (value: string, width: number) => `printf('%0${width}d', ${value})`;
    switch (letter) {
      case 'd':
        return padded(`${a} // 864000000000`, Math.min(n, 8));
      case 'h':
      case 'H':
        return padded(`(${a} // 36000000000) % 24`, Math.min(n, 2));
      case 'm':
        return padded(`(${a} // 600000000) % 60`, Math.min(n, 2));
      case 's':
        return padded(`(${a} // 10000000) % 60`, Math.min(n, 2));
      case 'f':
        return `substr(${fraction}, 1, ${Math.min(n, 7)})`;
      case 'F':
        return `rtrim(substr(${fraction}, 1, ${Math.min(n, 7)}), '0')`;
      default:
        return str(token.spec);
    }
  });
  return `coalesce(${pieces.join(' || ') || "''"}, '')`;
}

// ---- JS formatting (the UDFs) -----------------------------------------------------------------

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (v: number | bigint, width: number) => v.toString().padStart(width, '0');

/** `f…` (fixed digits) and `F…` (trailing zeros dropped) fields of 7 fraction digits. */
function fractionField(spec: string, frac7: string): string {
  const digits = frac7.slice(0, Math.min(spec.length, 7));
  return spec[0] === 'F' ? digits.replace(/0+$/, '') : digits;
}

/** format_datetime of microseconds since the Unix epoch. */
export function formatDatetimeJs(micros: bigint, pattern: string): string {
  const ms = Number(micros / 1000n) - (micros % 1000n < 0n ? 1 : 0);
  const d = new Date(ms);
  const frac7 = pad(((micros % 1_000_000n) + 1_000_000n) % 1_000_000n, 6) + '0';
  const tokens = tokenizeFormat(pattern);
  let out = '';
  tokens.forEach((token, i) => {
    if (token.kind === 'literal') {
      const next = tokens[i + 1];
      if (next?.kind === 'field' && next.spec[0] === 'F' && token.text.endsWith('.') && frac7.slice(0, next.spec.length).replace(/0+$/, '') === '') {
        out += token.text.slice(0, -1);
      } else out += token.text;
      return;
    }
    const { spec } = token;
    const n = spec.length;
    const hour = d.getUTCHours();
    switch (spec[0]) {
      case 'd':
        out += n === 1 ? String(d.getUTCDate()) : n === 2 ? pad(d.getUTCDate(), 2) : n === 3 ? DAYS[d.getUTCDay()]!.slice(0, 3) : DAYS[d.getUTCDay()]!;
        break;
      case 'f':
      case 'F':
        out += fractionField(spec, frac7);
        break;
      case 'h':
        out += n === 1 ? String(hour % 12 || 12) : pad(hour % 12 || 12, 2);
        break;
      case 'H':
        out += n === 1 ? String(hour) : pad(hour, 2);
        break;
      case 'm':
        out += n === 1 ? String(d.getUTCMinutes()) : pad(d.getUTCMinutes(), 2);
        break;
      case 'M':
        out += n === 1 ? String(d.getUTCMonth() + 1) : n === 2 ? pad(d.getUTCMonth() + 1, 2) : n === 3 ? MONTHS[d.getUTCMonth()]!.slice(0, 3) : MONTHS[d.getUTCMonth()]!;
        break;
      case 's':
        out += n === 1 ? String(d.getUTCSeconds()) : pad(d.getUTCSeconds(), 2);
        break;
      case 'y': {
        const y = d.getUTCFullYear();
        out += n === 1 ? String(y % 100) : n === 2 ? pad(y % 100, 2) : pad(y, n);
        break;
      }
      case 't':
        out += (hour < 12 ? 'AM' : 'PM').slice(0, Math.min(n, 2));
        break;
    }
  });
  return out;
}

/** format_timespan of a tick count (fields of the absolute value, as .NET does). */
export function formatTimespanJs(ticks: bigint, pattern: string): string {
  const a = ticks < 0n ? -ticks : ticks;
  const frac7 = pad(a % 10_000_000n, 7);
  let out = '';
  for (const token of tokenizeFormat(pattern)) {
    if (token.kind === 'literal') {
      out += token.text;
      continue;
    }
    const n = token.spec.length;
    switch (token.spec[0]) {
      case 'd':
        out += pad(a / 864_000_000_000n, Math.min(n, 8));
        break;
      case 'h':
      case 'H':
        out += pad((a / 36_000_000_000n) % 24n, Math.min(n, 2));
        break;
      case 'm':
        out += pad((a / 600_000_000n) % 60n, Math.min(n, 2));
        break;
      case 's':
        out += pad((a / 10_000_000n) % 60n, Math.min(n, 2));
        break;
      case 'f':
      case 'F':
        out += fractionField(token.spec, frac7);
        break;
      default:
        out += token.spec;
    }
  }
  return out;
}
