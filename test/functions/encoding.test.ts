import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scalar, useEngine } from '../engine/helpers.js';
import { punycodeDecode, punycodeEncode } from '../../src/engine/duckdb/udfs/punycode.js';

describe('encodings', () => {
  const engine = useEngine();
  const value = (kql: string) => scalar(engine(), kql);

  test('base64 to and from byte arrays (base64_decode_toarray docs); invalid base64 is null', async () => {
    assert.deepEqual(await value('print base64_decode_toarray("S3VzdG8=")'), [75, 117, 115, 116, 111]);
    assert.equal(await value('print base64_encode_fromarray(dynamic([75,117,115,116,111]))'), 'S3VzdG8=');
    assert.equal(await value('print base64_decode_toarray("not base64!")'), null);
    assert.equal(await value('print base64_encode_fromarray(dynamic([256]))'), '');
  });

  test('base64 to and from guids, as the documented example orders the bytes', async () => {
    assert.equal(await value('print base64_decode_toguid("JpbpECu8dUy7Pv5gbeJXAA==")'), '10e99626-bc2b-754c-bb3e-fe606de25700');
    assert.equal(await value('print base64_encode_fromguid(guid(10e99626-bc2b-754c-bb3e-fe606de25700))'), 'JpbpECu8dUy7Pv5gbeJXAA==');
    assert.equal(await value('print base64_decode_toguid("S3VzdG8=")'), null);
  });

  test('to_utf8, string_size count UTF-8 bytes; isascii', async () => {
    assert.deepEqual(await value('print to_utf8("Kø")'), [75, 195, 184]);
    assert.equal(await value('print string_size("Kø")'), 3);
    assert.equal(await value('print isascii("abc")'), true);
    assert.equal(await value('print isascii("Kø")'), false);
  });

  test('zlib and gzip compress with stored blocks as Kusto does, and decompress; bad input gives "" (docs)', async () => {
    assert.equal(await value('print zlib_compress_to_base64_string("1234567890qwertyuiop")'), 'eAEBFADr/zEyMzQ1Njc4OTBxd2VydHl1aW9wOAkGdw==');
    assert.equal(await value('print zlib_decompress_from_base64_string("eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4=")'), 'Test string 123');
    assert.equal(await value('print gzip_compress_to_base64_string("1234567890qwertyuiop")'), 'H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==');
    assert.equal(await value('print gzip_decompress_from_base64_string(gzip_compress_to_base64_string("añb"))'), 'añb');
    assert.equal(await value('print zlib_decompress_from_base64_string("x0x0x0")'), '');
    assert.equal(await value('print gzip_decompress_from_base64_string("eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4=")'), '');
  });

  test('punycode of labels and of domains (punycode_* docs); *_domain_from_string decodes', async () => {
    assert.equal(await value("print punycode_from_string('académie-française')"), 'acadmie-franaise-npb1a');
    assert.equal(await value("print punycode_to_string('acadmie-franaise-npb1a')"), 'académie-française');
    assert.equal(await value("print punycode_from_string('艺术')"), 'cqv902d');
    assert.equal(await value('print punycode_domain_from_string("xn--Ry-lja8c.xn--Jng-uta63a.xn--Bng-9ka.com")'), 'Rúyì.Jīngū.Bàng.com');
    assert.equal(await value('print punycode_domain_to_string("Riðill.Skáldskaparmál.org")'), 'xn--Riill-jta.xn--Skldskaparml-dbbj.org');
    assert.equal(punycodeDecode(punycodeEncode('☃-⌘')), '☃-⌘');
    assert.equal(punycodeDecode('a€'), null);
  });
});
