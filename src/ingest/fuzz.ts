/**
 * Fuzzing of the syslog/CEF/LEEF parsers: seeded mutations of real messages (byte flips,
 * deletions, duplicated and injected separators, truncation) and random strings. A parser may
 * accept or reject a message, but must not throw, and must answer quickly. Used by a short
 * test and by `npm run fuzz:ingest` (bench/fuzz-ingest.ts) for long runs.
 */
import { seededRandom } from '../util/seeded-random.js';
import { parseSyslog } from './formats/syslog.js';

export interface FuzzStats {
  runs: number;
  parsed: number;
  rejected: number;
  /** Slowest single parse, in ms. */
  maxMs: number;
}

export class FuzzFailure extends Error {
  constructor(readonly input: string, cause: unknown) {
    super(`parser threw on ${JSON.stringify(input.slice(0, 300))}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'FuzzFailure';
  }
}

const SPECIAL = ['|', '=', '\\', '<', '>', '[', ']', '"', ' ', '\t', ':', 'CEF:0|', 'LEEF:2.0|', '\u0000', '\uFFFD', '\u{1F600}', '1 ', '-', '\r'];

/** Deterministic PRNG (mulberry32). */
export const rng = seededRandom;

export function mutate(seed: string, rand: () => number): string {
  let s = seed;
  const steps = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < steps; k++) {
    const at = Math.floor(rand() * (s.length + 1));
    switch (Math.floor(rand() * 7)) {
      case 0: s = s.slice(0, at) + String.fromCharCode(Math.floor(rand() * 0x2fff)) + s.slice(at + 1); break;
      case 1: s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 20)); break;
      case 2: s = s.slice(0, at) + SPECIAL[Math.floor(rand() * SPECIAL.length)] + s.slice(at); break;
      case 3: s = s.slice(0, at); break;
      case 4: s = s.slice(0, at) + s.slice(at, at + 40).repeat(1 + Math.floor(rand() * 50)) + s.slice(at + 40); break;
      case 5: s = s.slice(0, at) + '\\'.repeat(1 + Math.floor(rand() * 5)) + s.slice(at); break;
      default: s = randomText(rand, 1 + Math.floor(rand() * 200)); break;
    }
  }
  return s;
}

function randomText(rand: () => number, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += rand() < 0.3 ? SPECIAL[Math.floor(rand() * SPECIAL.length)] : String.fromCharCode(32 + Math.floor(rand() * 95));
  return out;
}

/** Runs `runs` mutated parses; throws FuzzFailure on the first parser exception. */
export function fuzzParsers(seeds: readonly string[], runs: number, seed: number): FuzzStats {
  const rand = rng(seed);
  const stats: FuzzStats = { runs: 0, parsed: 0, rejected: 0, maxMs: 0 };
  const ctx = { received: new Date('2026-01-15T00:00:00Z') };
  for (let i = 0; i < runs; i++) {
    const input = mutate(seeds[Math.floor(rand() * seeds.length)]!, rand);
    const t0 = performance.now();
    let result;
    try {
      result = parseSyslog(input, ctx);
    } catch (err) {
      throw new FuzzFailure(input, err);
    }
    stats.maxMs = Math.max(stats.maxMs, performance.now() - t0);
    stats.runs++;
    if (result.ok) stats.parsed++;
    else stats.rejected++;
  }
  return stats;
}
