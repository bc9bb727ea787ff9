/**
 * series_fir and series_iir: finite and infinite impulse response filters (Kusto's docs).
 * Samples before the start of the series count as 0. A missing (null) sample makes the outputs
 * that depend on it null: for FIR the outputs whose window holds it, for IIR every later output.
 */
import { type Elem, parseSeries, seriesJson } from './values.js';

/** Coefficients of a filter: a numeric array without missing elements, else null. */
function coefficients(text: string): number[] | null {
  const c = parseSeries(text);
  if (!c || c.length === 0 || c.some((x) => x === null || !Number.isFinite(x))) return null;
  return c as number[];
}

/**
 * series_fir(series, filter, normalize, center): y[i] = Σ_k c[k]·x[i-k]. normalize (default:
 * true unless the filter has a negative coefficient) divides by Σ c and gives null when the
 * filter has negatives. center shifts the output back by the group delay ⌊(m-1)/2⌋, samples
 * past the end counting as 0.
 */
export function fir(s: string, filter: string, normalize: boolean | null, center: boolean | null): string | null {
  const x = parseSeries(s);
  const c = coefficients(filter);
  if (!x || !c) return null;
  const negative = c.some((v) => v < 0);
  const norm = normalize ?? !negative;
  if (norm && negative) return null;
  const total = c.reduce((a, b) => a + b, 0);
  const taps = norm ? c.map((v) => v / total) : c;
  const delay = center ? Math.floor((c.length - 1) / 2) : 0;
  const n = x.length;
  const y: Elem[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = i + delay;
    let acc = 0;
    for (let k = 0; k < taps.length && !Number.isNaN(acc); k++) {
      const j = t - k;
      if (j < 0 || j >= n) continue;
      const v = x[j]!;
      acc = v === null ? NaN : acc + taps[k]! * v;
    }
    y[i] = Number.isNaN(acc) && hasMissing(x, t - taps.length + 1, t) ? null : acc;
  }
  return seriesJson(y);
}

function hasMissing(x: readonly Elem[], from: number, to: number): boolean {
  for (let j = Math.max(0, from); j <= Math.min(to, x.length - 1); j++) if (x[j] === null) return true;
  return false;
}

/** series_iir(series, numerators b, denominators a): y[i] = (Σ b[k]·x[i-k] - Σ_{j≥1} a[j]·y[i-j]) / a[0]. */
export function iir(s: string, numerators: string, denominators: string): string | null {
  const x = parseSeries(s);
  const b = coefficients(numerators);
  const a = coefficients(denominators);
  if (!x || !b || !a || a[0] === 0) return null;
  const n = x.length;
  const y: number[] = new Array(n);
  const out: Elem[] = new Array(n);
  let broken = false;
  for (let i = 0; i < n; i++) {
    if (x[i] === null) broken = true;
    if (broken) {
      out[i] = null;
      continue;
    }
    let acc = 0;
    for (let k = 0; k < b.length && k <= i; k++) acc += b[k]! * x[i - k]!;
    for (let j = 1; j < a.length && j <= i; j++) acc -= a[j]! * y[i - j]!;
    y[i] = acc / a[0]!;
    out[i] = y[i]!;
  }
  return seriesJson(out);
}
