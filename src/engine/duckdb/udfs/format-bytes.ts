/**
 * format_bytes(size, precision, units, base): a size with the largest unit it reaches
 * ("564 Bytes", "19.08 MB"), or in the unit asked for. Base 2 (1024) or 10 (1000).
 */

const UNITS = ['Bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];

export function formatBytes(size: number, precision: number, units: string, base: number): string | null {
  if (base !== 2 && base !== 10) return null;
  if (!Number.isFinite(size) || precision < 0) return null;
  const step = base === 2 ? 1024 : 1000;
  let unit = UNITS.findIndex((u) => u.toLowerCase() === units.toLowerCase() || (u === 'Bytes' && units.toLowerCase() === 'b'));
  if (unit < 0) {
    if (units !== '') return null;
    unit = 0;
    while (unit < UNITS.length - 1 && Math.abs(size) >= step ** (unit + 1)) unit++;
  }
  const value = size / step ** unit;
  return `${value.toFixed(Math.min(precision, 100))} ${UNITS[unit]}`;
}
