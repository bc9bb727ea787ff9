import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scalar, useEngine } from '../engine/helpers.js';
import { formatIpv6, parseIpv6 } from '../../src/engine/duckdb/udfs/ipv6.js';

describe('ipv6 and ipv4 prefixes', () => {
  const engine = useEngine();
  const value = (kql: string) => scalar(engine(), kql);

  test('IPv6 text: compressed, full, with a dotted tail; IPv4 text is its mapped address', () => {
    assert.equal(formatIpv6(parseIpv6('fe80::85d:e82c:9446:7994')!.address), 'fe80:0000:0000:0000:085d:e82c:9446:7994');
    assert.equal(formatIpv6(parseIpv6('::ffff:192.168.1.1')!.address), '0000:0000:0000:0000:0000:ffff:c0a8:0101');
    assert.deepEqual(parseIpv6('192.168.1.1/24'), parseIpv6('::ffff:c0a8:0101/120'));
    assert.equal(parseIpv6('1::2::3'), null);
    assert.equal(parseIpv6('fe80::1/129'), null);
    assert.equal(parseIpv6('12345::'), null);
  });

  test('parse_ipv6 and parse_ipv6_mask give the canonical masked text (docs)', async () => {
    assert.equal(await value('print parse_ipv6("192.168.255.255/24")'), '0000:0000:0000:0000:0000:ffff:c0a8:ff00');
    assert.equal(await value('print parse_ipv6_mask("fe80::85d:e82c:9446:7994/120", 124)'), 'fe80:0000:0000:0000:085d:e82c:9446:7900');
    assert.equal(await value('print parse_ipv6_mask("::192.168.255.255/24", 128)'), '0000:0000:0000:0000:0000:ffff:c0a8:ff00');
    assert.equal(await value('print parse_ipv6("not an ip")'), '');
  });

  test('ipv6_compare and ipv6_is_match use the shortest prefix; IPv4 and IPv6 compare as one space (docs)', async () => {
    assert.equal(await value('print ipv6_compare("fe80::85d:e82c:9446:7994/120", "fe80::85d:e82c:9446:7998")'), 0);
    assert.equal(await value('print ipv6_compare("fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7998")'), -1);
    assert.equal(await value('print ipv6_compare("::ffff:c0a8:0101", "192.168.1.255/24")'), 0);
    assert.equal(await value('print ipv6_is_match("fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995", 127)'), true);
    assert.equal(await value('print ipv6_is_match("fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995")'), false);
    assert.equal(await value('print isnull(ipv6_compare("x", "::1"))'), true);
  });

  test('ipv6_is_in_range and ipv6_is_in_any_range (docs)', async () => {
    assert.equal(await value('print ipv6_is_in_range("a5e:f127:8a9d:146d:e102:b5d3:c755:abcd", "a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112")'), true);
    assert.equal(await value('print ipv6_is_in_range("a5e:f127:8a9d:146d:e102:b5d3:c756:abd1", "a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112")'), false);
    assert.equal(await value('print ipv6_is_in_any_range("a5e:f127:8a9d:146d:e102:b5d3:c755:abcd", dynamic(["fe80::/10", "a5e:f127:8a9d:146d:e102:b5d3:c755:f6cd/112"]))'), true);
    assert.equal(await value('print ipv6_is_in_any_range("::1", "fe80::/10", "2001:db8::/32")'), false);
  });

  test('has_ipv4_prefix finds an address starting with a valid prefix (whole octets ending with a dot) (docs)', async () => {
    assert.equal(await value('print has_ipv4_prefix("05:04:54 127.0.0.1 GET /favicon.ico 404", "127.0.")'), true);
    assert.equal(await value('print has_ipv4_prefix("05:04:54 127.0.0.1 GET /favicon.ico 404", "127.0")'), false);
    assert.equal(await value('print has_ipv4_prefix("05:04:54 127.0.0.256 GET", "127.0.")'), false);
    assert.equal(await value('print has_ipv4_prefix("id127.0.0.1", "127.0.")'), false);
    assert.equal(await value('print has_any_ipv4_prefix("05:04:54 10.1.2.3 GET", dynamic(["127.0.", "10."]))'), true);
    assert.equal(await value('print has_any_ipv4_prefix("05:04:54 10.1.2.3 GET", "127.0.", "192.168.")'), false);
  });

  test('ipv4_range_to_cidr_list covers a range exactly (docs)', async () => {
    assert.deepEqual(await value('print ipv4_range_to_cidr_list("1.1.128.0", "1.1.140.255")'), ['1.1.128.0/21', '1.1.136.0/22', '1.1.140.0/24']);
    assert.deepEqual(await value('print ipv4_range_to_cidr_list("10.0.0.1", "10.0.0.1")'), ['10.0.0.1/32']);
    assert.deepEqual(await value('print ipv4_range_to_cidr_list("0.0.0.0", "255.255.255.255")'), ['0.0.0.0/0']);
    assert.equal(await value('print isnull(ipv4_range_to_cidr_list("10.0.0.2", "10.0.0.1"))'), true);
  });
});
