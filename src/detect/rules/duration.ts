/**
 * Durations as analytics rules write them: the YAML templates' short form (`5m`, `1h`, `14d`,
 * `30s`) and ARM's ISO 8601 form (`PT5M`, `P1D`, `P1DT12H`).
 */
const SHORT = /^(\d+)\s*(s|m|h|d)$/i;
const ISO = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration text, or undefined when it is not one. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  const short = SHORT.exec(t);
  if (short) return Number(short[1]) * UNIT_MS[short[2]!.toLowerCase()]!;
  const iso = ISO.exec(t);
  if (iso && t.toUpperCase() !== 'P' && !/T$/i.test(t)) {
    const [d, h, m, s] = iso.slice(1).map((x) => Number(x ?? 0));
    return ((d! * 24 + h!) * 60 + m!) * 60_000 + s! * 1000;
  }
  return undefined;
}

/** The short form of a duration: the largest whole unit (`90m` stays `90m`, `1440m` is `1d`). */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's']) {
    const size = UNIT_MS[unit]!;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
