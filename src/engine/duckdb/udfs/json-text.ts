/** JSON helpers behind UDFs: canonical JSON text (dynamic_to_json) and replace_strings. */

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** dynamic_to_json: compact JSON with the keys of every bag sorted. */
export function canonicalJson(json: string): string {
  return JSON.stringify(canonical(JSON.parse(json)));
}

/**
 * replace_strings(text, lookups, rewrites): one left-to-right pass; at each position the longest
 * matching lookup is replaced, so replacements never overlap or chain ("swap" works).
 */
export function replaceStrings(text: string, lookupsJson: string, rewritesJson: string): string | null {
  const lookups = JSON.parse(lookupsJson) as unknown;
  const rewrites = JSON.parse(rewritesJson) as unknown;
  if (!Array.isArray(lookups) || !Array.isArray(rewrites)) return null;
  const pairs = lookups
    .map((l, i) => [String(l ?? ''), String(rewrites[i] ?? '')] as const)
    .filter(([l]) => l !== '')
    .sort(([a], [b]) => b.length - a.length);
  let out = '';
  for (let i = 0; i < text.length;) {
    const hit = pairs.find(([l]) => text.startsWith(l, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else out += text[i++];
  }
  return out;
}

/**
 * treepath: the distinct paths of a dynamic value in first-seen order; an array's elements all
 * share the path `[0]` (treepath docs: `['prop1'][0]` for `[1,2,3,4]`).
 */
export function treePaths(json: string): string {
  const seen = new Set<string>();
  const walk = (value: unknown, prefix: string): void => {
    if (Array.isArray(value)) {
      if (!value.length) return;
      const p = `${prefix}[0]`;
      seen.add(p);
      for (const element of value) walk(element, p);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const p = `${prefix}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
        seen.add(p);
        walk(v, p);
      }
    }
  };
  walk(JSON.parse(json), '');
  return JSON.stringify([...seen]);
}
