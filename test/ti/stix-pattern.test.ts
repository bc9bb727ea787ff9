import assert from 'node:assert/strict';
import { test } from 'node:test';
import { observablesOf, PatternMappingError } from '../../src/ti/observables.js';
import { parseStixPattern, StixPatternError } from '../../src/ti/stix-pattern.js';

const map = (p: string) => observablesOf(parseStixPattern(p)).map((o) => [o.key, o.value, o.kind, o.hashType ?? '']);

test('the STIX 2.1 specification examples parse (part 9.9 of the standard)', () => {
  // Valid patterns from OASIS STIX 2.1 §9.9, whether or not Quarry maps them.
  for (const p of [
    "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
    "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
    "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:mime_type = 'application/x-pdf']",
    "[file:hashes.'SHA-256' = 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c' OR file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f'] AND [file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
    "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar'] WITHIN 300 SECONDS",
    "[user-account:account_type = 'unix' AND user-account:user_id = '1007' AND user-account:account_login = 'Peter'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1008' AND user-account:account_login = 'Paul'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1009' AND user-account:account_login = 'Mary']",
    "[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\\\xd4\\\\xc3\\\\xb2\\\\xa1\\\\x02\\\\x00\\\\x04\\\\x00']",
    "[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\\\Windows\\\\System32']",
    "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
    "[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']",
    "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']",
    "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 180 SECONDS",
    "[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']",
    "[url:value = 'http://example.com/foo' OR url:value = 'http://example.com/bar']",
    "[x509-certificate:issuer = 'CN=WEBSERVER2, OU=Information Technology, O=Example, L=Springfield, ST=Illinois, C=US' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']",
    "[windows-registry-key:key = 'HKEY_CURRENT_USER\\\\Software\\\\CryptoLocker\\\\Files' OR windows-registry-key:key = 'HKEY_CURRENT_USER\\\\Software\\\\Microsoft\\\\CurrentVersion\\\\Run\\\\CryptoLocker_0388']",
    "[(file:name = 'pdf.exe' OR file:size = '371712') AND file:created = t'2014-01-13T07:03:17Z']",
    "[email-message:sender_ref.value = 'jdoe@example.com' AND email-message:subject = 'Conference Info']",
    "[x-usb-device:usbdrive.serial_number = '575833314133343231313937']",
    "[process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r localMachine Root$'] FOLLOWEDBY [process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r localMachineTrustedPublisher$'] WITHIN 300 SECONDS",
    "[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']",
    "([file:name = 'foo.dll'] AND [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) OR [process:name = 'fooproc' OR process:name = 'procfoo']",
    "[ipv4-addr:value = '192.168.0.1'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
    "[network-traffic:src_port NOT IN (80, 443)]",
  ]) {
    assert.doesNotThrow(() => parseStixPattern(p), p);
  }
});

test('equality comparisons on IPs, domains, URLs, e-mail addresses and hashes map to observables', () => {
  assert.deepEqual(map("[ipv4-addr:value = '198.51.100.7']"), [['ipv4-addr:value', '198.51.100.7', 'ip', '']]);
  assert.deepEqual(map("[ipv6-addr:value = '2001:db8::1']"), [['ipv6-addr:value', '2001:db8::1', 'ip', '']]);
  assert.deepEqual(map("[ipv4-addr:value = '203.0.113.0/24']"), [['ipv4-addr:value', '203.0.113.0/24', 'cidr', '']]);
  assert.deepEqual(map("[ipv4-addr:value = '203.0.113.9/32']"), [['ipv4-addr:value', '203.0.113.9', 'ip', '']], 'a /32 block is one address');
  assert.deepEqual(map("[domain-name:value = 'evil.example.com']"), [['domain-name:value', 'evil.example.com', 'domain', '']]);
  assert.deepEqual(map("[url:value = 'http://evil.example.com/a?b=it\\'s']"), [['url:value', "http://evil.example.com/a?b=it's", 'url', '']]);
  assert.deepEqual(map("[email-addr:value = 'bad@example.com']"), [['email-addr:value', 'bad@example.com', 'email', '']]);
  assert.deepEqual(map("[network-traffic:src_ref.value = '198.51.100.1']"), [['network-traffic:src_ref.value', '198.51.100.1', 'source-ip', '']]);
  assert.deepEqual(map("[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']"),
    [["file:hashes.'SHA-256'", 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f', 'file-hash', 'SHA256']]);
  assert.deepEqual(map("[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']"), [['file:hashes.MD5', 'cead3f77f6cda6ec00f57d76c9a6879f', 'file-hash', 'MD5']]);
});

test('OR, AND and IN give one observable per value; a file name beside a hash is context', () => {
  assert.deepEqual(map("[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = '198.51.100.2'] OR [domain-name:value = 'a.example.org']").map((o) => o[1]),
    ['198.51.100.1', '198.51.100.2', 'a.example.org']);
  assert.deepEqual(map("[ipv4-addr:value IN ('198.51.100.1', '198.51.100.2')]").map((o) => o[1]), ['198.51.100.1', '198.51.100.2']);
  const both = observablesOf(parseStixPattern(
    "[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f' AND file:hashes.'SHA-1' = '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed' AND file:name = 'dropper.exe']"));
  assert.deepEqual(both.map((o) => [o.hashType, o.fileName]), [['MD5', 'dropper.exe'], ['SHA1', 'dropper.exe']]);
  assert.equal(map("[url:value = 'http://x.example/a'] AND [url:value = 'http://x.example/a']").length, 1, 'duplicates collapse');
});

test('patterns that cannot be mapped are refused with the reason', () => {
  const refused = (p: string, why: RegExp) => assert.throws(() => observablesOf(parseStixPattern(p)), (e: Error) => e instanceof PatternMappingError && why.test(e.message), p);
  refused("[ipv4-addr:value = '198.51.100.1'] FOLLOWEDBY [domain-name:value = 'a.example.org']", /FOLLOWEDBY/);
  refused("[ipv4-addr:value = '198.51.100.1'] WITHIN 60 SECONDS", /qualifier WITHIN/);
  refused("[ipv4-addr:value = '192.168.0.1'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'", /START … STOP/);
  refused("[ipv4-addr:value != '198.51.100.1']", /operator != on ipv4-addr:value/);
  refused("[ipv4-addr:value NOT = '198.51.100.1']", /NOT =/);
  refused("[url:value LIKE 'http://%.example.com/%']", /operator LIKE/);
  refused("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", /CIDR block as the value/);
  refused("[process:name = 'evil.exe']", /process:name is not an observable/);
  refused("[file:name = 'evil.exe']", /file:name alone/);
  refused("[file:hashes.MD5 = 'abc']", /not a MD5 hash \(32 hexadecimal digits/);
  refused("[file:hashes.CRC32 = 'abcdef01']", /hash algorithm 'CRC32'/);
  refused("[ipv4-addr:value = '2001:db8::1']", /not an IPv4 address/);
  refused("[ipv4-addr:value = '198.51.100.0/33']", /not an IPv4 address or CIDR/);
  refused("[domain-name:value = 'not a domain']", /not a domain name/);
  refused("[ipv4-addr:value = 1]", /compared with a int/);
  refused('[EXISTS ipv4-addr:value]', /EXISTS/);
});

test('malformed patterns throw StixPatternError with the position', () => {
  const bad = (p: string, why: RegExp) => assert.throws(() => parseStixPattern(p), (e: Error) => e instanceof StixPatternError && why.test(e.message), p);
  bad('', /empty/);
  bad("ipv4-addr:value = '1.2.3.4'", /expected an observation expression .*\(at character 1\)/);
  bad("[ipv4-addr:value = '1.2.3.4'", /expected '\]'/);
  bad("[ipv4-addr:value = '1.2.3.4]", /unterminated string/);
  bad("[ipv4-addr:value = = '1.2.3.4']", /expected a value/);
  bad("[ipv4-addr:value '1.2.3.4']", /expected a comparison operator/);
  bad("[ipv4-addr = '1.2.3.4']", /expected ':'/);
  bad("[url:value = 'a\\b']", /unknown escape/);
  bad("[ipv4-addr:value = '1.2.3.4'] AND", /expected an observation expression/);
  bad("[file:created = t'yesterday']", /not an RFC 3339/);
  bad("[ipv4-addr:value = '1.2.3.4'] extra", /unexpected 'extra'/);
});

// The pass and fail cases of OASIS's reference validator (oasis-open/cti-pattern-validator,
// stix2patterns/test/v21/test_validator.py), as the oracle for what the grammar accepts.
test('the reference validator\'s STIX 2.1 pass cases parse and its syntax fail cases do not', () => {
  const pass = [
    '[file:size = 1280]', '[file:size != 1280]', '[file:size < 1024]', '[file:size <= 1024]', '[file:size > 1024]', '[file:size >= 1024]',
    "[file:file_name = 'my_file_name']",
    "[file:extended_properties.'ntfs-ext'.sid = '234']",
    "[emailaddr:value MATCHES '.+\\\\@ibm\\\\.com$' OR file:name MATCHES '^Final Report.+\\\\.exe$']",
    "[ipv4addr:value ISSUBSET '192.168.0.1/24']",
    "[ipv4addr:value NOT ISSUBSET '192.168.0.1/24']",
    "[user-account:value = 'Peter'] AND [user-account:value != 'Paul'] AND [user-account:value = 'Mary'] WITHIN 5 SECONDS",
    "[file:file_system_properties.file_name LIKE 'name%']",
    "[file:file_name IN ('test.txt', 'test2.exe', 'README')]",
    '[file:size IN (1024, 2048, 4096)]',
    "[network-connection:extended_properties[0].source_payload MATCHES 'dGVzdHRlc3R0ZXN0']",
    "[win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar'] WITHIN 5 SECONDS",
    "[x_whatever:detected == t'2018-03-22T12:11:14.1Z']",
    "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']",
    '[foo:bar=1] REPEATS 9 TIMES',
    "[network-traffic:start = '2018-04-20T12:36:24.558Z']",
    '( [(network-traffic:dst_port IN(443,6443,8443) AND network-traffic:src_packets != 0) ])',
    "([win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar']) WITHIN 5 SECONDS WITHIN 6 SECONDS",
    "([win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar'] REPEATS 2 TIMES) REPEATS 2 TIMES",
    "[network-traffic:src_port = 37020 AND user-account:user_id = 'root'] START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z' OR [ipv4-addr:value = '192.168.122.83'] START t'2016-06-01T03:55:00.123Z' STOP t'2016-06-01T04:30:24.743Z'",
    '[file:extensions.windows-pebinary-ext.sections[*].entropy > 7.0]',
    "[process:command_line MATCHES '^a$'] FOLLOWEDBY [process:command_line MATCHES'^b$'] WITHIN 300 SECONDS",
  ];
  for (const p of pass) assert.doesNotThrow(() => parseStixPattern(p), p);
  const fail = [
    'file:size = 1280', '[file:size = ]', '[file:hashes.MD5 = cead3f77f6cda6ec00f57d76c9a6879f]', '[file.size = 1280]',
    '[file:name MATCHES /.*\\\\.dll/]',
    "[win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar'] WITHIN ]",
    "[win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar'] WITHIN 5 HOURS]",
    "[win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar'] WITHIN -5 SECONDS]",
    '[network-traffic:dst_ref.value ISSUBSET ]',
    "[file:hashes.MD5 =? 'cead3f77f6cda6ec00f57d76c9a6879f']",
    "[x_whatever:detected == t'2457-73-22T32:81:84.1Z']",
    "[artifact:payload_bin = b'====']",
    '[foo:bar=1] within 2 seconds',
    "[win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar'] WITHIN 5 SECONDS WITHIN 6 SECONDS",
    "([win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar'] REPEATS 2 TIMES REPEATS 3 TIMES)",
    "[win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar'] START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z' START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z'",
  ];
  for (const p of fail) assert.throws(() => parseStixPattern(p), StixPatternError, p);
  // The validator's remaining fail case is semantic; here it is the mapping that refuses it.
  assert.throws(() => observablesOf(parseStixPattern("[file:hashes.'SHA-256' = 'f00']")), /not a SHA-256 hash/);
});
