/**
 * expected-failures.txt: the kql-docs cases known to fail, one a line as `<id>  # <reason>`.
 * Lines starting with `#` are comments. Ids never contain spaces (they do contain `#`).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const EXPECTED_FAILURES_PATH = fileURLToPath(new URL('./expected-failures.txt', import.meta.url));

/** Case id → reason. */
export type ExpectedFailures = Map<string, string>;

export function readExpectedFailures(path: string = EXPECTED_FAILURES_PATH): ExpectedFailures {
  const out: ExpectedFailures = new Map();
  if (!existsSync(path)) return out;
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+)(?:\s+#\s?(.*))?$/.exec(line);
    if (m) out.set(m[1]!, (m[2] ?? '').trim());
  }
  return out;
}

const HEADER = [
  '# kql-docs cases that fail today: `<id>  # <reason>`, one a line.',
  '# test/conformance/kql-docs.test.ts fails when a case not listed here fails, and when a listed',
  '# case passes (remove it). `npm run conformance:update` rewrites this file from the current',
  '# results and keeps the reasons of cases still failing (`-- --refresh` renews them all).',
];

export function formatExpectedFailures(failures: ExpectedFailures): string {
  const ids = [...failures.keys()].sort();
  return [...HEADER, ...ids.map((id) => `${id}  # ${oneLine(failures.get(id) ?? '')}`)].join('\n') + '\n';
}

export function writeExpectedFailures(failures: ExpectedFailures, path: string = EXPECTED_FAILURES_PATH): void {
  writeFileSync(path, formatExpectedFailures(failures));
}

/** A reason fit for one line of the file. */
export function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
