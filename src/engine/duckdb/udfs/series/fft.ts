/**
 * series_fft / series_ifft: the discrete Fourier transform of a complex series (real part,
 * optional imaginary part) and its inverse (scaled by 1/n), any length: radix-2 for powers of
 * two, Bluestein's chirp-z transform (through a power-of-two convolution) otherwise.
 * Missing (null) samples count as 0; an imaginary part shorter than the real one is padded with 0.
 */
import { outJson, parseSeries } from './values.js';

/** Twiddle factors and the bit-reversal permutation of one power-of-two size, made once. */
interface FftTables {
  cos: Float64Array;
  sin: Float64Array;
  /** Bit-reversed index of each position. */
  reversed: Uint32Array;
}

const fftTables = new Map<number, FftTables>();

function tablesFor(size: number): FftTables {
  let t = fftTables.get(size);
  if (!t) {
    t = { cos: new Float64Array(size >> 1), sin: new Float64Array(size >> 1), reversed: new Uint32Array(size) };
    for (let k = 0; k < size >> 1; k++) {
      t.cos[k] = Math.cos((2 * Math.PI * k) / size);
      t.sin[k] = Math.sin((2 * Math.PI * k) / size);
    }
    for (let i = 1, j = 0; i < size; i++) {
      let bit = size >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      t.reversed[i] = j;
    }
    fftTables.set(size, t);
  }
  return t;
}

/** In-place iterative radix-2 FFT; the length must be a power of two. sign -1: forward, +1: inverse (unscaled). */
function radix2(re: Float64Array, im: Float64Array, sign: number): void {
  const size = re.length;
  const { cos, sin, reversed } = tablesFor(size);
  for (let i = 1; i < size; i++) {
    const j = reversed[i]!;
    if (i < j) {
      const r = re[i]!;
      re[i] = re[j]!;
      re[j] = r;
      const m = im[i]!;
      im[i] = im[j]!;
      im[j] = m;
    }
  }
  for (let len = 2; len <= size; len <<= 1) {
    const half = len >> 1;
    const step = size / len;
    for (let start = 0; start < size; start += len) {
      for (let k = 0, w = 0; k < half; k++, w += step) {
        const wr = cos[w]!;
        const wi = sign * sin[w]!;
        const a = start + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}

/**
 * Transform of a real sequence (length a power of two, at least 4) through one complex FFT of half
 * the size: bins 0..size/2 into re/im (the rest mirror them).
 */
export function realFft(x: Float64Array, re: Float64Array, im: Float64Array): void {
  const size = x.length;
  const m = size >> 1;
  const { zr, zi } = halfScratch(m);
  for (let k = 0; k < m; k++) {
    zr[k] = x[2 * k]!;
    zi[k] = x[2 * k + 1]!;
  }
  radix2(zr, zi, -1);
  const { cos, sin } = tablesFor(size);
  for (let k = 0; k <= m; k++) {
    const a = zr[k % m]!;
    const b = zi[k % m]!;
    const c = zr[(m - k) % m]!;
    const d = -zi[(m - k) % m]!;
    // Even part (Z[k] + conj Z[m-k]) / 2, odd part (Z[k] - conj Z[m-k]) / 2i, twiddled by e^(-2πik/size).
    const er = (a + c) / 2;
    const ei = (b + d) / 2;
    const or = (b - d) / 2;
    const oi = -(a - c) / 2;
    const wr = k < m ? cos[k]! : -1;
    const wi = k < m ? -sin[k]! : 0;
    re[k] = er + or * wr - oi * wi;
    im[k] = ei + or * wi + oi * wr;
  }
}

/** Work arrays of realFft by half size, reused (every row of a make-series has the same length; the transform is synchronous). */
const halfScratches = new Map<number, { zr: Float64Array; zi: Float64Array }>();

function halfScratch(m: number): { zr: Float64Array; zi: Float64Array } {
  let s = halfScratches.get(m);
  if (!s) {
    if (halfScratches.size >= 16) halfScratches.clear();
    s = { zr: new Float64Array(m), zi: new Float64Array(m) };
    halfScratches.set(m, s);
  }
  return s;
}

/** Bluestein: a DFT of any length as a convolution with a chirp, done with power-of-two FFTs. */
interface Chirp {
  m: number;
  cosT: Float64Array;
  sinT: Float64Array;
  /** The FFT of the conjugate chirp, the convolution kernel. */
  br: Float64Array;
  bi: Float64Array;
}

/** Chirps by length and direction: every row of a make-series has the same length. */
const CHIRPS = new Map<number, Chirp>();

function chirp(n: number, sign: number): Chirp {
  const key = sign * n;
  const cached = CHIRPS.get(key);
  if (cached) return cached;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const cosT = new Float64Array(n);
  const sinT = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // k² mod 2n keeps the angle small and exact for long series.
    const angle = (sign * Math.PI * ((k * k) % (2 * n))) / n;
    cosT[k] = Math.cos(angle);
    sinT[k] = Math.sin(angle);
  }
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  br[0] = cosT[0]!;
  bi[0] = -sinT[0]!;
  for (let k = 1; k < n; k++) {
    br[k] = br[m - k] = cosT[k]!;
    bi[k] = bi[m - k] = -sinT[k]!;
  }
  radix2(br, bi, -1);
  const c = { m, cosT, sinT, br, bi };
  if (CHIRPS.size >= 64) CHIRPS.clear();
  CHIRPS.set(key, c);
  return c;
}

function bluestein(re: Float64Array, im: Float64Array, sign: number): void {
  const n = re.length;
  const { m, cosT, sinT, br, bi } = chirp(n, sign);
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    ar[k] = re[k]! * cosT[k]! - im[k]! * sinT[k]!;
    ai[k] = re[k]! * sinT[k]! + im[k]! * cosT[k]!;
  }
  radix2(ar, ai, -1);
  for (let k = 0; k < m; k++) {
    const r = ar[k]! * br[k]! - ai[k]! * bi[k]!;
    ai[k] = ar[k]! * bi[k]! + ai[k]! * br[k]!;
    ar[k] = r;
  }
  radix2(ar, ai, 1);
  for (let k = 0; k < n; k++) {
    const r = ar[k]! / m;
    const i = ai[k]! / m;
    re[k] = r * cosT[k]! - i * sinT[k]!;
    im[k] = r * sinT[k]! + i * cosT[k]!;
  }
}

/** The DFT (sign -1) or unscaled inverse DFT (sign +1) of a complex series. */
export function dft(real: ArrayLike<number>, imag: ArrayLike<number>, sign: number): [Float64Array, Float64Array] {
  const re = Float64Array.from(real);
  const im = Float64Array.from(imag);
  const n = re.length;
  if (n > 1) ((n & (n - 1)) === 0 ? radix2 : bluestein)(re, im, sign);
  return [re, im];
}

function transform(realText: string, imagText: string, inverse: boolean): string | null {
  const real = parseSeries(realText);
  if (!real) return null;
  const imag = parseSeries(imagText) ?? [];
  const n = real.length;
  const re = Array.from({ length: n }, (_, i) => real[i] ?? 0);
  const im = Array.from({ length: n }, (_, i) => imag[i] ?? 0);
  const [fr, fi] = dft(re, im, inverse ? 1 : -1);
  if (inverse) for (let i = 0; i < n; i++) [fr[i], fi[i]] = [fr[i]! / n, fi[i]! / n];
  return outJson([Array.from(fr), Array.from(fi)]);
}

export const fft = (real: string, imag: string): string | null => transform(real, imag, false);
export const ifft = (real: string, imag: string): string | null => transform(real, imag, true);
