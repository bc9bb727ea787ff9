/**
 * datetime_utc_to_local / datetime_local_to_utc with IANA zone names, through Intl (Node ships
 * the tz database). Microsecond datetimes as in the DuckDB representation.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      return null;
    }
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC at a UTC instant, in milliseconds. */
function offsetMs(zone: string, utcMs: number): number | null {
  const f = formatter(zone);
  if (!f) return null;
  const parts = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const year = Number(parts.year);
  const wall = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const fixedYear = new Date(wall);
  if (year < 100) fixedYear.setUTCFullYear(year);
  return fixedYear.getTime() - Math.floor(utcMs / 1000) * 1000;
}

const MICROS_PER_MS = 1000n;

export function utcToLocal(micros: bigint, zone: string): bigint | null {
  const ms = Number(micros / MICROS_PER_MS);
  const offset = offsetMs(zone, ms);
  return offset === null ? null : micros + BigInt(offset) * MICROS_PER_MS;
}

/**
 * Local wall time to UTC: the offset at (local − offset) is tried twice, which settles on the
 * later offset in a gap and the earlier instant of an ambiguous hour.
 */
export function localToUtc(micros: bigint, zone: string): bigint | null {
  const ms = Number(micros / MICROS_PER_MS);
  const first = offsetMs(zone, ms);
  if (first === null) return null;
  const second = offsetMs(zone, ms - first)!;
  return micros - BigInt(second) * MICROS_PER_MS;
}

export function isTimeZone(zone: string): boolean {
  return formatter(zone) !== null;
}
