import { z } from 'zod';
import { parseDocument, stringify } from 'yaml';
import { tablesConfigSchema } from './tables-config.js';
import { serverConfigSchema } from './server-config.js';

/** The version of the quarry.yaml format this code reads and writes. */
export const CONFIG_VERSION = 1;

// Strict, so a misspelt field (`localonly: true`) is an error rather than silently ignored.
const configSchema = z.strictObject({
  name: z.string().min(1),
  version: z.literal(CONFIG_VERSION),
  localOnly: z.boolean(),
  /** http(s) URL prefixes that externaldata may read (none by default; `*` for any). */
  externalData: z.strictObject({ allow: z.array(z.string().regex(/^(\*|https?:\/\/.+)$/, 'expected * or an http(s) URL prefix')) }).optional(),
  /** Custom table columns and retention per table (tables-config.ts). */
  tables: tablesConfigSchema.optional(),
  /** `quarry serve`: ports, syslog listeners, data collection rules (server-config.ts). */
  server: serverConfigSchema.optional(),
});

export type WorkspaceConfig = z.infer<typeof configSchema>;

/** A quarry.yaml that cannot be read or does not validate; the message names the file and field. */
export class ConfigError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ConfigError';
  }
}

export function defaultConfig(name: string): WorkspaceConfig {
  return { name, version: CONFIG_VERSION, localOnly: true };
}

export function serializeConfig(config: WorkspaceConfig): string {
  return stringify(config);
}

/** Parses and validates quarry.yaml text. `file` is only used in error messages. */
export function parseConfig(text: string, file: string): WorkspaceConfig {
  const doc = parseDocument(text);
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    const where = pos ? `${pos.line}:${pos.col}: ` : '';
    // The pretty message repeats the position and quotes the source; keep the sentence only.
    const sentence = firstLine(yamlError.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(file, `${where}invalid YAML: ${sentence}`);
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(file, 'expected a mapping with the fields name, version and localOnly');
  }
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    throw new ConfigError(file, parsed.error.issues.map((issue) => describeIssue(issue, data)).join('; '));
  }
  return parsed.data;
}

function describeIssue(issue: z.core.$ZodIssue, data: object): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys} (allowed: ${Object.keys(configSchema.shape).join(', ')})`;
  }
  const field = issue.path.map(String).join('.') || '(top level)';
  // Zod leaves the offending input out of its issues; the config is flat, so look it up.
  const value = issue.path.length === 1 ? (data as Record<PropertyKey, unknown>)[issue.path[0]!] : undefined;
  if (issue.code === 'invalid_value' && field === 'version') {
    return `field "version": unsupported version ${JSON.stringify(value)} (this Quarry reads version ${CONFIG_VERSION})`;
  }
  if (issue.code === 'invalid_type' && value === undefined) {
    return `field "${field}" is missing`;
  }
  return `field "${field}": ${issue.message}`;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
