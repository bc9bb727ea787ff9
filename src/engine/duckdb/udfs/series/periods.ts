/**
 * Period detection and validation (series_periods_detect, series_periods_validate, and the
 * seasonality auto-detection of series_decompose*, series_seasonal).
 *
 * Kusto documents the contract, not the algorithm: periods are at least 4 bins and at most half
 * the series, scores lie in [0, 1], the input is regular. Quarry's algorithm follows AutoPeriod
 * (Vlachos, Yu & Castelli 2005): the periodogram proposes candidate periods, the autocorrelation
 * function (ACF) confirms and scores them.
 *  1. The series is detrended (least-squares line) and centred; missing points count as the mean.
 *  2. One zero-padded FFT gives the periodogram; its inverse gives the ACF (Wiener-Khinchin).
 *  3. Periodogram peaks stronger than white noise could make are candidates: under white noise
 *     of the same variance an ordinate is sum(z^2) * Exp(1), so the largest of n/2 exceeds
 *     sum(z^2) * ln(n / 2 / alpha) with probability alpha = 1% (Fisher's test, approximately).
 *     Each candidate (and, for a peak below the minimum period, its multiples: a pattern of
 *     period P also peaks at P/2, P/3, ...) maps to a range of lags; the lag with the highest ACF in that range is a period when it is
 *     a local maximum of the ACF ("on a hill"). A weak period whose ACF hill is swamped by the
 *     slope of a much stronger one is not found (a daily cycle under a dominant weekly one).
 *  4. A period's score is the unbiased ACF at its lag, clipped to [0, 1], and 0 when below the
 *     95% bound of white noise (1.96 / sqrt(n - lag)): too few cycles give no evidence. (The
 *     docs' example scores 0.84 in Kusto and 0.98 here; its periods, [14, 0], agree.)
 *  5. Periods are ranked by score; a multiple of a period (its harmonic) is dropped when the
 *     shorter period is kept or scores at least 90% as well; a lag whose ACF only repeats the ACF at its
 *     remainder modulo a kept period is that period's echo and dropped too.
 */
import { realFft } from './fft.js';

const MIN_PERIOD = 4;
/** How many of the strongest periodogram peaks become candidates, at most. */
const CANDIDATES = 12;
/** How many multiples of a periodogram peak's period are tried as periods. */
const MAX_MULTIPLE = 12;
/** A divisor of a period is preferred when its score is at least this share of the period's. */
const HARMONIC_PREFERENCE = 0.9;
/** ACF difference under which a lag repeats a shorter lag modulo a kept period. */
const ALIAS_TOLERANCE = 0.1;
/** False-alarm probability of a periodogram peak under white noise. */
const ALPHA = 0.01;

export interface PeriodScore {
  period: number;
  score: number;
}

/** Autocorrelation of one series, prepared once for many lags. */
export class Autocorrelation {
  /** Unbiased ACF by lag (index 0 is 1). */
  readonly acf: Float64Array;
  /** Periodogram of the zero-padded series, by FFT bin (size/2 + 1 bins). */
  readonly power: Float64Array;
  readonly size: number;
  readonly n: number;
  readonly flat: boolean;
  /** Sum of squares of the detrended series: the mean periodogram ordinate of white noise. */
  readonly energy: number;

  constructor(series: Float64Array) {
    const n = series.length;
    this.n = n;
    const z = detrended(series);
    // At least 4 so the half-size real transform has a complex FFT to run.
    let size = 4;
    while (size < 2 * n) size <<= 1;
    this.size = size;
    let energy = 0;
    for (const v of z) energy += v * v;
    this.energy = energy;
    const half = size >> 1;
    // Periodogram of the zero-padded series; the ACF is the transform of the periodogram
    // (real and even, so a real transform of it is the inverse up to 1/size).
    const { padded, re, im } = scratchFor(size);
    padded.set(z);
    padded.fill(0, n);
    realFft(padded, re, im);
    this.power = new Float64Array(half + 1);
    for (let j = 0; j <= half; j++) this.power[j] = re[j]! * re[j]! + im[j]! * im[j]!;
    const spectrum = padded;
    for (let j = 0; j < size; j++) spectrum[j] = this.power[j <= half ? j : size - j]!;
    realFft(spectrum, re, im);
    this.acf = new Float64Array(n);
    let scale = 0;
    for (const v of series) if (!Number.isNaN(v)) scale = Math.max(scale, Math.abs(v));
    this.flat = n < 2 || !(energy > n * (1e-12 * scale) ** 2);
    if (!this.flat) for (let k = 0; k < n; k++) this.acf[k] = (re[k]! / re[0]!) * (n / (n - k));
  }

  /** Score of an integer lag: the unbiased ACF clipped to [0, 1]; 0 when not significant. */
  scoreAt(lag: number): number {
    if (this.flat || lag < 1 || lag >= this.n) return 0;
    const r = interpolate(this.acf, lag);
    const bound = 1.96 / Math.sqrt(this.n - lag);
    return r >= bound ? Math.min(1, r) : 0;
  }

  /** The lag in [from, to] with the highest ACF, or -1 for an empty range. */
  private bestLag(from: number, to: number): number {
    let best = -1;
    for (let k = from; k <= to; k++) if (best < 0 || this.acf[k]! > this.acf[best]!) best = k;
    return best;
  }

  /**
   * True when the ACF at `lag` (longer than the period, not a multiple of it) only repeats the
   * ACF at lag mod period: a hill the period itself makes, not a period of its own.
   */
  private isAlias(lag: number, period: number): boolean {
    const rest = lag % period;
    return lag > period && rest >= 1 && Math.abs(this.acf[lag]! - this.acf[rest]!) < ALIAS_TOLERANCE;
  }

  private isHill(lag: number): boolean {
    const a = this.acf;
    return lag >= 1 && lag + 1 < this.n && a[lag]! >= a[lag - 1]! && a[lag]! >= a[lag + 1]!;
  }

  /** Periods in [minPeriod, maxPeriod] (within the detectable range), best first. */
  detect(minPeriod: number, maxPeriod: number): PeriodScore[] {
    const lo = Math.max(MIN_PERIOD, Math.ceil(minPeriod));
    const hi = Math.min(Math.floor(this.n / 2), Math.floor(maxPeriod));
    if (this.flat || lo > hi) return [];
    const size = this.size;
    // Significant periodogram peaks, strongest first. A peak at period q (even below the
    // minimum) also stands for its multiples: a non-sinusoidal pattern of period P puts its
    // power at P/2, P/3, ... as well, sometimes more than at P itself.
    const peaks: Array<{ bin: number; power: number }> = [];
    const p = this.power;
    const noise = this.energy * Math.log(this.n / 2 / ALPHA);
    for (let j = 2; j < p.length - 1; j++) {
      if (p[j]! > noise && p[j]! > p[j - 1]! && p[j]! >= p[j + 1]!) peaks.push({ bin: j, power: p[j]! });
    }
    peaks.sort((a, b) => b.power - a.power);
    const seen = new Map<number, number>();
    for (const { bin } of peaks.slice(0, CANDIDATES)) {
      // Multiples only for a peak below the minimum period: the harmonic of an in-range pattern.
      const multiples = size / bin < lo ? MAX_MULTIPLE : 1;
      for (let m = 1; m <= multiples && (m * size) / (bin + 1) <= hi; m++) {
        const best = this.bestLag(Math.max(lo, Math.floor((m * size) / (bin + 1))), Math.min(hi, Math.ceil((m * size) / (bin - 1))));
        if (best < 0 || seen.has(best) || !this.isHill(best)) continue;
        const score = this.scoreAt(best);
        if (score > 0) seen.set(best, score);
      }
    }
    const ranked = [...seen].map(([period, score]) => ({ period, score })).sort((a, b) => b.score - a.score || a.period - b.period);
    // A multiple of a period is its harmonic, not a period of its own: dropped when a divisor
    // scores nearly as well (the unbiased ACF of a longer lag is noisier) or is already kept.
    const kept: PeriodScore[] = [];
    for (const c of ranked) {
      const divisor = ranked.some((b) => b.period < c.period && isMultiple(c.period, b.period) && b.score >= HARMONIC_PREFERENCE * c.score);
      if (!divisor && !kept.some((k) => isMultiple(c.period, k.period) || this.isAlias(c.period, k.period))) kept.push(c);
    }
    return kept;
  }
}

/** Work arrays of one transform size, reused: every row of a make-series has the same length, and the transforms are synchronous. */
const scratches = new Map<number, { padded: Float64Array; re: Float64Array; im: Float64Array }>();

function scratchFor(size: number): { padded: Float64Array; re: Float64Array; im: Float64Array } {
  let s = scratches.get(size);
  if (!s) {
    if (scratches.size >= 16) scratches.clear();
    s = { padded: new Float64Array(size), re: new Float64Array((size >> 1) + 1), im: new Float64Array((size >> 1) + 1) };
    scratches.set(size, s);
  }
  return s;
}

/** True when `period` is (about) an integer multiple >= 2 of `base`. */
function isMultiple(period: number, base: number): boolean {
  const m = Math.round(period / base);
  return m >= 2 && Math.abs(period - m * base) <= Math.max(1, 0.02 * period);
}

/** series_periods_detect: `count` periods and scores (0-padded), best first. */
export function periodsDetect(series: Float64Array, minPeriod: number, maxPeriod: number, count: number): [number[], number[]] {
  const found = new Autocorrelation(series).detect(minPeriod, maxPeriod).slice(0, Math.max(0, count));
  const periods = new Array<number>(Math.max(0, count)).fill(0);
  const scores = new Array<number>(Math.max(0, count)).fill(0);
  found.forEach((f, i) => {
    periods[i] = f.period;
    scores[i] = f.score;
  });
  return [periods, scores];
}

/** series_periods_validate: the score of each given period (0 outside [4, n/2]). */
export function periodsValidate(series: Float64Array, periods: number[]): number[] {
  const ac = new Autocorrelation(series);
  return periods.map((p) => (Number.isFinite(p) && p >= MIN_PERIOD && p <= series.length / 2 ? ac.scoreAt(p) : 0));
}

/** The best period with a score of at least `threshold`, or 0 (auto-detected seasonality). */
export function detectSeasonality(series: Float64Array, threshold: number): number {
  const best = new Autocorrelation(series).detect(MIN_PERIOD, series.length / 2)[0];
  return best && best.score >= threshold ? best.period : 0;
}

/** The series minus its least-squares line, missing points set to 0 (the mean of the rest). */
function detrended(series: Float64Array): Float64Array {
  const n = series.length;
  let count = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const y = series[i]!;
    if (Number.isNaN(y)) continue;
    count++;
    sx += i;
    sy += y;
    sxx += i * i;
    sxy += i * y;
  }
  const out = new Float64Array(n);
  if (count === 0) return out;
  const den = count * sxx - sx * sx;
  const slope = den === 0 ? 0 : (count * sxy - sx * sy) / den;
  const intercept = (sy - slope * sx) / count;
  for (let i = 0; i < n; i++) {
    const y = series[i]!;
    out[i] = Number.isNaN(y) ? 0 : y - (intercept + slope * i);
  }
  return out;
}

/** Value at a fractional index, by linear interpolation. */
function interpolate(a: Float64Array, x: number): number {
  const i = Math.floor(x);
  const f = x - i;
  return f === 0 || i + 1 >= a.length ? a[i]! : a[i]! * (1 - f) + a[i + 1]! * f;
}

