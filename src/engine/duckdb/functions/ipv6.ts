/**
 * IPv6 functions (parse_ipv6[_mask], ipv6_compare, ipv6_is_match, ipv6_is_in_range,
 * ipv6_is_in_any_range) and IPv4 prefix searches (has_ipv4_prefix, has_any_ipv4_prefix,
 * ipv4_range_to_cidr_list). IPv4 text counts as its IPv4-mapped IPv6 address.
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity, constString, str } from './common.js';
import { convertTo, toStringSql } from './conversion.js';

const text = (v: SqlValue): string => toStringSql(v);
const prefixArg = (v: SqlValue | undefined): string => (v ? `CAST(${convertTo(v, 'long')} AS BIGINT)` : '128');
const compare = (a: SqlValue, b: SqlValue, prefix?: SqlValue): string => `kql_ipv6_compare(${text(a)}, ${text(b)}, ${prefixArg(prefix)})`;

/** Every element of a literal or per-row dynamic array, or the value itself, tested. */
function anyOf(items: SqlValue[], test: (item: string) => string): string {
  const tests = items.map((item) => {
    if (item.type !== 'dynamic') return test(text(item));
    return `coalesce(list_bool_or(list_transform(TRY_CAST(${item.sql} AS VARCHAR[]), lambda kql_r: ${test('kql_r')})), false)`;
  });
  return `(${tests.join(' OR ')})`;
}

/** The dotted IPv4 addresses in a text, bounded by non-alphanumerics. */
const ipv4Tokens = (source: string): string =>
  `list_filter(regexp_extract_all(${source}, '[0-9A-Za-z]+(?:\\.[0-9A-Za-z]+)*'), lambda kql_t: regexp_matches(kql_t, '^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$'))`;

/** A valid prefix is a whole address or 1–3 octets ending with a dot (has_ipv4_prefix docs). */
const VALID_PREFIX = /^(?:\d{1,3}\.){1,3}$|^(?:\d{1,3}\.){3}\d{1,3}$/;

function hasIpv4Prefix(source: string, prefix: string, literal?: string): string {
  if (literal !== undefined && (!VALID_PREFIX.test(literal) || literal.split('.').some((o) => o !== '' && Number(o) > 255))) return 'false';
  const valid = literal !== undefined ? 'true' : `regexp_matches(${prefix}, '^(?:[0-9]{1,3}\\.){1,3}$|^(?:[0-9]{1,3}\\.){3}[0-9]{1,3}$')`;
  return `coalesce(${valid} AND list_bool_or(list_transform(${ipv4Tokens(source)}, lambda kql_t: starts_with(kql_t, ${prefix}) AND (ends_with(${prefix}, '.') OR kql_t = ${prefix}))), false)`;
}

export const ipv6Functions: Record<string, ScalarFn> = {
  parse_ipv6: (args) => {
    arity('parse_ipv6', args, 1);
    return `coalesce(kql_ipv6_masked_text(${text(args[0]!)}, 128), '')`;
  },
  parse_ipv6_mask: (args) => {
    arity('parse_ipv6_mask', args, 2);
    return `coalesce(kql_ipv6_masked_text(${text(args[0]!)}, ${prefixArg(args[1])}), '')`;
  },
  ipv6_compare: (args) => {
    arity('ipv6_compare', args, 2, 3);
    return compare(args[0]!, args[1]!, args[2]);
  },
  ipv6_is_match: (args) => {
    arity('ipv6_is_match', args, 2, 3);
    return `(${compare(args[0]!, args[1]!, args[2])} = 0)`;
  },
  ipv6_is_in_range: (args) => {
    arity('ipv6_is_in_range', args, 2);
    return `kql_ipv6_in_range(${text(args[0]!)}, ${text(args[1]!)})`;
  },
  ipv6_is_in_any_range: (args) => {
    arity('ipv6_is_in_any_range', args, 2, 64);
    const ip = text(args[0]!);
    return anyOf(args.slice(1), (range) => `coalesce(kql_ipv6_in_range(${ip}, ${range}), false)`);
  },
  has_ipv4_prefix: (args) => {
    arity('has_ipv4_prefix', args, 2);
    const literal = constString(args[1]);
    return hasIpv4Prefix(text(args[0]!), literal !== undefined ? str(literal) : text(args[1]!), literal);
  },
  has_any_ipv4_prefix: (args) => {
    arity('has_any_ipv4_prefix', args, 2, 64);
    const source = text(args[0]!);
    return anyOf(args.slice(1), (prefix) => hasIpv4Prefix(source, prefix));
  },
  ipv4_range_to_cidr_list: (args) => {
    arity('ipv4_range_to_cidr_list', args, 2);
    return `CAST(kql_ipv4_range_to_cidrs(${text(args[0]!)}, ${text(args[1]!)}) AS JSON)`;
  },
};
