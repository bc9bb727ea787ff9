/**
 * parse_user_agent(): Kusto builds it on the ua-parser project's regexes (uap-core), the same
 * data and reference matcher (uap-ref-impl) used here, so families and versions agree with
 * Sentinel. The few hundred regexes are compiled on first use only.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { VARCHAR } from '@duckdb/node-api';
import { parse as parseYaml } from 'yaml';
import type { RowUdf } from './register.js';

interface Version { family: string | null; major?: string | null; minor?: string | null; patch?: string | null; patchMinor?: string | null }
interface Device { family: string | null; brand?: string | null; model?: string | null }
interface UaParser {
  parseUA(s: string): Version;
  parseOS(s: string): Version;
  parseDevice(s: string): Device;
}

const require = createRequire(import.meta.url);
let parser: UaParser | undefined;

function uaParser(): UaParser {
  if (!parser) {
    const regexes: unknown = parseYaml(readFileSync(require.resolve('uap-core/regexes.yaml'), 'utf8'));
    parser = (require('uap-ref-impl') as (r: unknown) => UaParser)(regexes);
  }
  return parser;
}

const TARGETS = ['browser', 'os', 'device'] as const;
type Target = (typeof TARGETS)[number];

/** The targets named by look-for: one string, or a JSON array of strings. Unknown names are an error. */
export function lookForTargets(lookFor: string): Target[] {
  let names: unknown;
  try {
    names = JSON.parse(lookFor);
  } catch {
    names = lookFor;
  }
  const list = Array.isArray(names) ? names : [names];
  return list.map((n) => {
    const t = String(n).trim().toLowerCase();
    if (!(TARGETS as readonly string[]).includes(t)) throw new Error(`parse_user_agent(): unknown look-for target '${String(n)}' (expected browser, os or device)`);
    return t as Target;
  });
}

const text = (v: string | null | undefined): string => v ?? '';

/** Kusto's shape: Browser, OperatingSystem and Device objects whose missing parts are ''. */
export function parseUserAgent(userAgent: string, targets: Target[]): Record<string, Record<string, string>> {
  const p = uaParser();
  const out: Record<string, Record<string, string>> = {};
  for (const t of targets) {
    if (t === 'browser') {
      const v = p.parseUA(userAgent);
      out['Browser'] = { Family: text(v.family), MajorVersion: text(v.major), MinorVersion: text(v.minor), Patch: text(v.patch) };
    } else if (t === 'os') {
      const v = p.parseOS(userAgent);
      out['OperatingSystem'] = {
        Family: text(v.family), MajorVersion: text(v.major), MinorVersion: text(v.minor), Patch: text(v.patch), PatchMinor: text(v.patchMinor),
      };
    } else {
      const d = p.parseDevice(userAgent);
      out['Device'] = { Family: text(d.family), Brand: text(d.brand), Model: text(d.model) };
    }
  }
  return out;
}

export const USER_AGENT_UDFS: RowUdf[] = [
  {
    name: 'kql_parse_user_agent', parameters: [VARCHAR, VARCHAR], returns: VARCHAR,
    row: (userAgent: string, lookFor: string) => JSON.stringify(parseUserAgent(userAgent, lookForTargets(lookFor))),
  },
];
