import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useDb, expr, fn, lit } from './helpers.js';

const db = useDb();

const s = (v: string) => lit('string', v);
const long = (v: number) => lit('long', v);
const value = (name: string, args: Parameters<typeof fn>[1], type: Parameters<typeof fn>[2]) => db().value(fn(name, args, type));

describe('ipv4', () => {
  test('parse_ipv4 reads dotted text, applies a /prefix, and is null for invalid text', async () => {
    assert.equal(await value('parse_ipv4', [s('127.0.0.1')], 'long'), 2130706433);
    assert.equal(await value('parse_ipv4', [s('192.168.1.1/24')], 'long'), 3232235776);
    assert.equal(await value('parse_ipv4', [s('127.0.0.256')], 'long'), null);
    assert.equal(await value('parse_ipv4_mask', [s('192.168.1.255'), long(24)], 'long'), 3232235776);
  });

  test('ipv4_is_private: 10/8, 172.16/12, 192.168/16 (ipv4_is_private docs)', async () => {
    assert.equal(await value('ipv4_is_private', [s('10.1.2.3')], 'bool'), true);
    assert.equal(await value('ipv4_is_private', [s('192.168.1.1/24')], 'bool'), true);
    assert.equal(await value('ipv4_is_private', [s('127.0.0.1')], 'bool'), false);
    assert.equal(await value('ipv4_is_private', [s('172.31.255.255')], 'bool'), true);
    assert.equal(await value('ipv4_is_private', [s('172.32.0.0')], 'bool'), false);
  });

  test('ipv4_is_match uses the shortest prefix of both texts and the argument (ipv4_is_match docs)', async () => {
    const pairs: [string, string, number | undefined][] = [
      ['192.168.1.0', '192.168.1.0', undefined], ['192.168.1.1/24', '192.168.1.255', undefined], ['192.168.1.1', '192.168.1.255/24', undefined],
      ['192.168.1.1/30', '192.168.1.255/24', undefined], ['192.168.1.1', '192.168.1.0', 31], ['192.168.1.1/24', '192.168.1.255', 31], ['192.168.1.1', '192.168.1.255', 24],
    ];
    for (const [a, b, p] of pairs) assert.equal(await value('ipv4_is_match', [s(a), s(b), ...(p === undefined ? [] : [long(p)])], 'bool'), true, `${a} ${b} ${p}`);
    assert.equal(await value('ipv4_is_match', [s('192.168.1.1'), s('192.168.1.2')], 'bool'), false);
  });

  test('ipv4_compare, ipv4_is_in_range, ipv4_is_in_any_range', async () => {
    assert.equal(await value('ipv4_compare', [s('127.0.0.1'), s('127.0.0.2')], 'int'), -1);
    assert.equal(await value('ipv4_compare', [s('192.168.1.1'), s('192.168.1.255'), long(24)], 'int'), 0);
    assert.equal(await value('ipv4_is_in_range', [s('192.168.1.6'), s('192.168.1.1/24')], 'bool'), true);
    assert.equal(await value('ipv4_is_in_range', [s('192.168.2.6'), s('192.168.1.1/24')], 'bool'), false);
    assert.equal(await value('ipv4_is_in_any_range', [s('10.0.0.5'), s('192.168.0.0/16'), s('10.0.0.0/8')], 'bool'), true);
    assert.equal(await value('ipv4_is_in_any_range', [s('10.0.0.5'), lit('dynamic', ['192.168.0.0/16', '10.0.0.0/8'])], 'bool'), true);
    assert.equal(await value('ipv4_is_in_any_range', [s('11.0.0.5'), expr('dynamic', ['192.168.0.0/16', '10.0.0.0/8'])], 'bool'), false);
  });

  test('format_ipv4 and format_ipv4_mask (format_ipv4 docs)', async () => {
    const rows: [string, number, string, string][] = [
      ['192.168.1.1', 24, '192.168.1.0', '192.168.1.0/24'], ['192.168.1.1', 32, '192.168.1.1', '192.168.1.1/32'],
      ['192.168.1.1/24', 32, '192.168.1.0', '192.168.1.0/24'], ['192.168.1.1/24', -1, '', ''],
    ];
    for (const [ip, mask, plain, withMask] of rows) {
      assert.equal(await value('format_ipv4', [s(ip), long(mask)], 'string'), plain);
      assert.equal(await value('format_ipv4_mask', [s(ip), long(mask)], 'string'), withMask);
    }
    assert.equal(await value('format_ipv4', [long(3232235777)], 'string'), '192.168.1.1');
  });

  test('ipv4_netmask_suffix (docs)', async () => {
    assert.equal(await value('ipv4_netmask_suffix', [s('10.1.2.3')], 'int'), 32);
    assert.equal(await value('ipv4_netmask_suffix', [s('192.168.1.1/24')], 'int'), 24);
  });

  test('has_ipv4 needs a valid address delimited by non-alphanumerics (has_ipv4 docs)', async () => {
    assert.equal(await value('has_ipv4', [s('05:04:54 127.0.0.1 GET /favicon.ico 404'), s('127.0.0.1')], 'bool'), true);
    assert.equal(await value('has_ipv4', [s('05:04:54 127.0.0.256 GET /favicon.ico 404'), s('127.0.0.256')], 'bool'), false);
    assert.equal(await value('has_ipv4', [s('05:04:54127.0.0.1 GET /favicon.ico 404'), s('127.0.0.1')], 'bool'), false);
    assert.equal(await value('has_ipv4', [s('from 10.0.0.1:443'), expr('string', '10.0.0.1')], 'bool'), true);
    assert.equal(await value('has_any_ipv4', [s('from 10.0.0.1:443'), s('1.1.1.1'), s('10.0.0.1')], 'bool'), true);
  });
});
