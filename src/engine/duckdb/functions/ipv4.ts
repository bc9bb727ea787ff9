/**
 * IPv4 functions (parse_ipv4, ipv4_is_private, ipv4_is_in_range, ipv4_is_match, ipv4_compare,
 * format_ipv4, has_ipv4, …). Address text is parsed by the `kql_ipv4_*` UDFs; a `/prefix` in
 * the text and an explicit prefix argument combine to the shorter of the two.
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity, constString, str } from './common.js';
import { convertTo, toStringSql } from './conversion.js';
import { parseIpv4 } from '../udfs/ipv4.js';

const text = (v: SqlValue): string => toStringSql(v);
const prefixArg = (v: SqlValue | undefined): string => (v ? `CAST(${convertTo(v, 'long')} AS BIGINT)` : '32');

/** An address (text or number) masked to a prefix, as BIGINT; null when invalid. */
function maskedAddress(ip: SqlValue, prefix: string): string {
  if (ip.type === 'int' || ip.type === 'long') {
    return `(CASE WHEN ${prefix} BETWEEN 0 AND 32 AND ${ip.sql} BETWEEN 0 AND 4294967295 THEN (CAST(${ip.sql} AS BIGINT) >> (32 - ${prefix})) << (32 - ${prefix}) END)`;
  }
  return `kql_ipv4_masked(${text(ip)}, ${prefix})`;
}

const compare = (a: SqlValue, b: SqlValue, prefix?: SqlValue): string => `kql_ipv4_compare(${text(a)}, ${text(b)}, ${prefixArg(prefix)})`;

/** Text that is an IPv4 address bounded by non-alphanumerics (has_ipv4 docs). */
function hasIpv4(source: string, ip: SqlValue): string {
  const literal = constString(ip);
  if (literal !== undefined) {
    if (!parseIpv4(literal) || literal.includes('/')) return 'false';
    return `coalesce(regexp_matches(${source}, ${str(`(?:^|[^0-9A-Za-z])${literal.trim().replace(/\./g, '\\.')}(?:$|[^0-9A-Za-z])`)}), false)`;
  }
  const t = text(ip);
  return `coalesce(kql_ipv4_prefix(${t}) = 32 AND NOT contains(${t}, '/') AND regexp_matches(${source}, '(?:^|[^0-9A-Za-z])' || regexp_escape(trim(${t})) || '(?:$|[^0-9A-Za-z])'), false)`;
}

/** A list argument: literal or per-row dynamic arrays are searched element by element. */
function anyOf(items: SqlValue[], test: (item: SqlValue) => string): string {
  const tests = items.map((item) => {
    if (item.type !== 'dynamic') return test(item);
    const each = test({ sql: 'kql_r', type: 'string' });
    return `coalesce(list_bool_or(list_transform(TRY_CAST(${item.sql} AS VARCHAR[]), lambda kql_r: ${each})), false)`;
  });
  return `(${tests.join(' OR ')})`;
}

export const ipv4Functions: Record<string, ScalarFn> = {
  parse_ipv4: (args) => {
    arity('parse_ipv4', args, 1);
    return maskedAddress(args[0]!, '32');
  },
  parse_ipv4_mask: (args) => {
    arity('parse_ipv4_mask', args, 2);
    return maskedAddress(args[0]!, prefixArg(args[1]));
  },
  ipv4_netmask_suffix: (args) => {
    arity('ipv4_netmask_suffix', args, 1);
    return `CAST(kql_ipv4_prefix(${text(args[0]!)}) AS INTEGER)`;
  },
  ipv4_is_private: (args) => {
    arity('ipv4_is_private', args, 1);
    return `kql_ipv4_is_private(${text(args[0]!)})`;
  },
  ipv4_compare: (args) => {
    arity('ipv4_compare', args, 2, 3);
    return `CAST(${compare(args[0]!, args[1]!, args[2])} AS INTEGER)`;
  },
  ipv4_is_match: (args) => {
    arity('ipv4_is_match', args, 2, 3);
    return `(${compare(args[0]!, args[1]!, args[2])} = 0)`;
  },
  ipv4_is_in_range: (args) => {
    arity('ipv4_is_in_range', args, 2);
    return `(${compare(args[0]!, args[1]!)} = 0)`;
  },
  ipv4_is_in_any_range: (args) => {
    arity('ipv4_is_in_any_range', args, 2, 64);
    const ip = args[0]!;
    return anyOf(args.slice(1), (range) => `coalesce(${compare(ip, range)} = 0, false)`);
  },
  format_ipv4: (args) => {
    arity('format_ipv4', args, 1, 2);
    return `coalesce(kql_ipv4_text(${maskedAddress(args[0]!, prefixArg(args[1]))}), '')`;
  },
  format_ipv4_mask: (args) => {
    arity('format_ipv4_mask', args, 1, 2);
    const ip = args[0]!;
    const own = ip.type === 'int' || ip.type === 'long' ? '32' : `kql_ipv4_prefix(${text(ip)})`;
    const prefix = `least(${own}, ${prefixArg(args[1])})`;
    return `coalesce(kql_ipv4_text(${maskedAddress(ip, prefixArg(args[1]))}) || '/' || CAST(${prefix} AS VARCHAR), '')`;
  },
  has_ipv4: (args) => {
    arity('has_ipv4', args, 2);
    return hasIpv4(text(args[0]!), args[1]!);
  },
  has_any_ipv4: (args) => {
    arity('has_any_ipv4', args, 2, 64);
    const source = text(args[0]!);
    return anyOf(args.slice(1), (ip) => hasIpv4(source, ip));
  },
};
