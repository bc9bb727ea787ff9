/**
 * series_fill_forward / _backward / _const / _linear: replace the missing values of a series.
 * A missing value is an element equal to missing_value_placeholder (default null: the null,
 * i.e. non-numeric, elements). Elements keep their type: series_fill_linear rounds the values
 * it interpolates (toward zero, as the docs' example shows) when the series holds only integers.
 */
import { type Elem, type Series, elem, integralText, parseSeries, seriesJson } from './values.js';

const placeholderOf = (text: string): Elem => elem(JSON.parse(text));

function missingTest(placeholder: Elem): (x: Elem) => boolean {
  if (placeholder === null) return (x) => x === null;
  if (Number.isNaN(placeholder)) return (x) => x !== null && Number.isNaN(x);
  return (x) => x === placeholder;
}

export function fillForward(s: string, placeholder: string): string | null {
  const series = parseSeries(s);
  if (!series) return null;
  const missing = missingTest(placeholderOf(placeholder));
  let last: Elem | undefined;
  for (let i = 0; i < series.length; i++) {
    if (!missing(series[i]!)) last = series[i]!;
    else if (last !== undefined) series[i] = last;
  }
  return seriesJson(series);
}

export function fillBackward(s: string, placeholder: string): string | null {
  const series = parseSeries(s);
  if (!series) return null;
  const missing = missingTest(placeholderOf(placeholder));
  let next: Elem | undefined;
  for (let i = series.length - 1; i >= 0; i--) {
    if (!missing(series[i]!)) next = series[i]!;
    else if (next !== undefined) series[i] = next;
  }
  return seriesJson(series);
}

/** series_fill_const(series, constant_value = 0, missing_value_placeholder = null). */
export function fillConst(s: string, constant: string, placeholder: string): string | null {
  const series = parseSeries(s);
  if (!series) return null;
  const missing = missingTest(placeholderOf(placeholder));
  const value = elem(JSON.parse(constant));
  for (let i = 0; i < series.length; i++) if (missing(series[i]!)) series[i] = value;
  return seriesJson(series);
}

/**
 * series_fill_linear(series, missing_value_placeholder = null, fill_edges = true, constant_value = 0):
 * interior gaps interpolated between their neighbours; leading and trailing gaps take the
 * nearest value unless fill_edges is false; a series with no value at all is constant_value
 * (a null constant keeps it as it is).
 */
export function fillLinear(s: string, placeholder: string, fillEdges: boolean, constant: string): string | null {
  const series = parseSeries(s);
  if (!series) return null;
  const missing = missingTest(placeholderOf(placeholder));
  const known: number[] = [];
  for (let i = 0; i < series.length; i++) if (!missing(series[i]!)) known.push(i);
  if (known.length === 0) {
    const value = elem(JSON.parse(constant));
    return seriesJson(value === null ? series : series.map(() => value));
  }
  // The docs' example shows integers interpolated toward zero (73.5 -> 73, 32.667 -> 32).
  const round = integralText(s) ? Math.trunc : (x: number) => x;
  fillInterior(series, known, round);
  if (fillEdges) {
    const first = known[0]!;
    const last = known[known.length - 1]!;
    for (let i = 0; i < first; i++) series[i] = series[first]!;
    for (let i = last + 1; i < series.length; i++) series[i] = series[last]!;
  }
  return seriesJson(series);
}

function fillInterior(series: Series, known: number[], round: (x: number) => number): void {
  for (let k = 1; k < known.length; k++) {
    const a = known[k - 1]!;
    const b = known[k]!;
    const ya = series[a]!;
    const yb = series[b]!;
    // A known neighbour that is not a number (placeholder other than null, null kept) cannot be interpolated from.
    if (ya === null || yb === null) continue;
    for (let i = a + 1; i < b; i++) series[i] = round(ya + ((yb - ya) * (i - a)) / (b - a));
  }
}
