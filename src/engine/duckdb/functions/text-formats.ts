/**
 * Parsing and formatting of text formats: URLs, query strings, paths, CSV records, XML, command
 * lines, version strings, byte sizes. The parsers are `kql_*` UDFs (udfs/text-formats.ts);
 * their JSON text becomes dynamic here.
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity, constString, unsupported } from './common.js';
import { convertTo, toStringSql } from './conversion.js';
import { lookForTargets } from '../udfs/user-agent.js';

const text = (v: SqlValue): string => toStringSql(v);
const asJson = (sql: string): string => `CAST(${sql} AS JSON)`;

const jsonParser = (name: string, udf: string): ScalarFn => (args) => {
  arity(name, args, 1);
  return asJson(`${udf}(${text(args[0]!)})`);
};

/** parse_command_line(command, "windows"): only Windows rules exist in Kusto. */
const parseCommandLine: ScalarFn = (args) => {
  arity('parse_command_line', args, 2);
  const parser = constString(args[1]);
  if (parser === undefined || parser.toLowerCase() !== 'windows') unsupported('parse_command_line', 'the parser must be the literal "windows"');
  return asJson(`kql_parse_command_line_windows(${text(args[0]!)})`);
};

/** parse_user_agent(ua, look-for): look-for is "browser", "os", "device" or a dynamic array of them. */
const parseUserAgent: ScalarFn = (args) => {
  arity('parse_user_agent', args, 2);
  const lookFor = args[1]!;
  const constant = constString(lookFor);
  if (constant !== undefined) {
    try {
      lookForTargets(constant);
    } catch (err) {
      unsupported('parse_user_agent', (err as Error).message.replace(/^parse_user_agent\(\): /, ''));
    }
  }
  const targets = lookFor.type === 'dynamic' ? `CAST(${lookFor.sql} AS VARCHAR)` : text(lookFor);
  return asJson(`kql_parse_user_agent(${text(args[0]!)}, ${targets})`);
};

/**
 * parse_version: a decimal of four 8-digit fields. Those need up to 32 integer digits, more than
 * Quarry's DECIMAL(38,18) holds, so the value is a DECIMAL(38,0): same order, exact.
 */
const parseVersion: ScalarFn = (args) => {
  arity('parse_version', args, 1);
  return `TRY_CAST(kql_parse_version(${text(args[0]!)}) AS DECIMAL(38,0))`;
};

/** format_bytes(size[, precision[, units[, base]]]): base 2 (1024) by default. */
const formatBytes: ScalarFn = (args) => {
  arity('format_bytes', args, 1, 4);
  const size = convertTo(args[0]!, 'real');
  const precision = args[1] ? convertTo(args[1], 'long') : '0';
  const units = args[2] ? text(args[2]) : "''";
  const base = args[3] ? convertTo(args[3], 'long') : '2';
  return `coalesce(kql_format_bytes(${size}, ${precision}, ${units}, ${base}), '')`;
};

export const textFormatFunctions: Record<string, ScalarFn> = {
  parse_url: jsonParser('parse_url', 'kql_parse_url'),
  parseurl: jsonParser('parseurl', 'kql_parse_url'),
  parse_urlquery: jsonParser('parse_urlquery', 'kql_parse_urlquery'),
  parseurlquery: jsonParser('parseurlquery', 'kql_parse_urlquery'),
  parse_path: jsonParser('parse_path', 'kql_parse_path'),
  parse_csv: jsonParser('parse_csv', 'kql_parse_csv'),
  parse_xml: jsonParser('parse_xml', 'kql_parse_xml'),
  parse_command_line: parseCommandLine,
  parse_version: parseVersion,
  parse_user_agent: parseUserAgent,
  format_bytes: formatBytes,
};
