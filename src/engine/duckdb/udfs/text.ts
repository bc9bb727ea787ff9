/** String helpers behind UDFs: indexof with range and occurrence, URL encoding as .NET does it. */

/**
 * indexof / array_index_of with start, length and occurrence: a negative start counts from the
 * end; each further occurrence is searched from one past the previous hit over the same length.
 * Invalid arguments (length < -1, occurrence < 0) give null; not found gives -1.
 */
export function indexOfOccurrence<T>(items: T[], wanted: T[], start: bigint, length: bigint, occurrence: bigint): bigint | null {
  if (length < -1n || occurrence < 0n) return null;
  let from = Number(start < 0n ? BigInt(items.length) + start : start);
  if (from < 0) from = 0;
  let found = -1;
  for (let k = 0n; k < (occurrence === 0n ? 1n : occurrence); k++) {
    const end = length === -1n ? items.length : Math.min(items.length, from + Number(length));
    found = -1;
    for (let i = from; i + wanted.length <= end; i++) {
      if (wanted.every((c, j) => items[i + j] === c)) {
        found = i;
        break;
      }
    }
    if (found < 0) return -1n;
    from = found + 1;
  }
  return BigInt(found);
}

/** array_index_of over JSON texts: elements compare by their normalised JSON. */
export function arrayIndexOf(arrayJson: string, elementJson: string, start: bigint, length: bigint, occurrence: bigint): bigint | null {
  const array: unknown = JSON.parse(arrayJson);
  if (!Array.isArray(array)) return null;
  const items = array.map((e) => JSON.stringify(e));
  return indexOfOccurrence(items, [JSON.stringify(JSON.parse(elementJson))], start, length, occurrence);
}

const UNRESERVED = /[A-Za-z0-9\-_.!*()]/;

/** HttpUtility.UrlEncode: UTF-8 bytes, lowercase hex, space as '+'. */
export function urlEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    if (ch === ' ') out += '+';
    else if (UNRESERVED.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** HttpUtility.UrlDecode: '+' is a space, %XX bytes are UTF-8, malformed escapes stay as they are. */
export function urlDecode(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '+') bytes.push(0x20);
    else if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '%' && /^u[0-9A-Fa-f]{4}$/.test(s.slice(i + 1, i + 6))) {
      bytes.push(...Buffer.from(String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16)), 'utf8'));
      i += 5;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
