import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { decode, encode, Signer, WireError } from '../../src/notebooks/kernel/wire.js';
import { KernelHistory } from '../../src/notebooks/kernel/history.js';
import { parseCell, MagicError } from '../../src/notebooks/cells/magics.js';
import { isComplete } from '../../src/notebooks/kernel/is-complete.js';
import { codePointsToUtf16, utf16ToCodePoints } from '../../src/notebooks/kernel/unicode.js';
import { inspectionPoints } from '../../src/notebooks/kernel/kernel.js';

describe('wire protocol', () => {
  const signer = new Signer('secret-key');
  const frames = () => encode(signer, 'execute_request', { code: 'print 1' }, undefined, 'S', [Buffer.from('client-id')]);

  it('signs with HMAC-SHA256 over the four JSON parts and decodes its own messages', () => {
    const f = frames();
    assert.equal(f[1]!.toString(), '<IDS|MSG>');
    const h = createHmac('sha256', 'secret-key');
    for (const p of f.slice(3, 7)) h.update(p);
    assert.equal(f[2]!.toString(), h.digest('hex'));
    const msg = decode(f, signer);
    assert.equal(msg.header.msg_type, 'execute_request');
    assert.equal(msg.header.version, '5.3');
    assert.deepEqual(msg.identities.map(String), ['client-id']);
    assert.deepEqual(msg.content, { code: 'print 1' });
  });

  it('rejects tampered, unsigned, wrongly keyed and malformed messages', () => {
    const tampered = frames();
    tampered[6] = Buffer.from(JSON.stringify({ code: 'print 2' }));
    assert.throws(() => decode(tampered, signer), /bad signature/);
    const unsigned = frames();
    unsigned[2] = Buffer.from('');
    assert.throws(() => decode(unsigned, signer), /bad signature/);
    assert.throws(() => decode(frames(), new Signer('other-key')), /bad signature/);
    assert.throws(() => decode([Buffer.from('x')], signer), /no <IDS\|MSG>/);
    assert.throws(() => decode(frames().slice(0, 5), signer), /too few frames/);
    const s = new Signer('');
    const notJson = encode(s, 't', {}, undefined, 'S');
    notJson[3] = Buffer.from('{nope');
    assert.throws(() => decode(notJson, s), WireError);
    assert.throws(() => new Signer('k', 'hmac-md5'), /unsupported signature scheme/);
  });

  it('replies carry the request header as parent', () => {
    const req = decode(frames(), signer);
    const reply = decode(encode(signer, 'execute_reply', { status: 'ok' }, req, 'S'), signer);
    assert.equal(reply.parent_header.msg_id, req.header.msg_id);
    assert.deepEqual(reply.identities.map(String), ['client-id']);
  });
});

describe('history', () => {
  const h = new KernelHistory();
  h.add(1, 'print 1', 'a');
  h.add(2, 'Logons | count', 'b');
  h.add(3, 'print 1', 'c');
  it('tail, range and glob search (unique, n)', () => {
    assert.deepEqual(h.query({ hist_access_type: 'tail', n: 2 }), [[1, 2, 'Logons | count'], [1, 3, 'print 1']]);
    assert.deepEqual(h.query({ hist_access_type: 'range', session: 1, start: 2, stop: 3, output: true }), [[1, 2, ['Logons | count', 'b']]]);
    assert.equal(h.query({ hist_access_type: 'search', pattern: 'print*' }).length, 2);
    assert.deepEqual(h.query({ hist_access_type: 'search', pattern: 'print*', unique: true }), [[1, 3, 'print 1']]);
    assert.deepEqual(h.query({ hist_access_type: 'search', pattern: 'Log?ns*' }), [[1, 2, 'Logons | count']]);
  });
});

describe('cells: magics and completeness', () => {
  it('reads magic lines at the top and keeps the code at its place', () => {
    const c = parseCell('%timeout 30\n%as T\nLogons\n| take 1');
    assert.deepEqual(c.magics.map((m) => [m.name, m.arg, m.line]), [['timeout', '30', 1], ['as', 'T', 2]]);
    assert.equal(c.code, '           \n     \nLogons\n| take 1');
  });
  it('says what is wrong with a magic line', () => {
    assert.throws(() => parseCell('%tiemout 3'), (e: unknown) => e instanceof MagicError && /unknown magic '%tiemout'/.test(e.message) && /%timeout SECONDS/.test(e.message));
    assert.throws(() => parseCell('%limit'), /argument is missing/);
    assert.throws(() => parseCell('Logons\n%as T'), /line 2: magic lines go at the top/);
    // A modulo at the start of a continuation line is KQL, not a magic.
    assert.equal(parseCell('print x = 7\n% 3').magics.length, 0);
  });
  it('is_complete: pipes, brackets and strings left open wait for more', () => {
    assert.deepEqual(isComplete('Logons |'), { status: 'incomplete', indent: '' });
    assert.deepEqual(isComplete('print strlen('), { status: 'incomplete', indent: '    ' });
    assert.equal(isComplete('print "a').status, 'incomplete');
    assert.equal(isComplete('print "a|"').status, 'complete');
    assert.equal(isComplete('Logons | where | | )').status, 'invalid');
    assert.equal(isComplete('%bad 1').status, 'invalid');
  });
});

describe('cursor positions', () => {
  it('converts between code points (Jupyter) and UTF-16 (JavaScript)', () => {
    const s = 'print "😀" | ext';
    assert.equal(codePointsToUtf16(s, 15), 16);
    assert.equal(utf16ToCodePoints(s, 16), 15);
  });
  it('inspects the call around or before the cursor', () => {
    const code = "print strlen('abc')";
    assert.ok(inspectionPoints(code, code.length).includes(6));
    assert.ok(inspectionPoints('print strlen(x, ', 16).includes(6));
  });
});

describe('kernelspec install', async () => {
  const { kernelsDir, userDataDir, kernelSpec } = await import('../../src/notebooks/kernel/install.js');
  const { logoPng } = await import('../../src/notebooks/kernel/logo.js');
  const { inflateSync } = await import('node:zlib');
  it('finds Jupyter folders as jupyter_core does', () => {
    assert.equal(userDataDir({ JUPYTER_DATA_DIR: '/x/y' }, 'linux'), '/x/y');
    assert.equal(userDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux'), '/xdg/jupyter');
    assert.equal(userDataDir({ APPDATA: 'C:\\A' }, 'win32').replace(/\\/g, '/'), 'C:/A/jupyter');
    assert.equal(kernelsDir({ kind: 'prefix', dir: '/opt/env' }), '/opt/env/share/jupyter/kernels');
    assert.equal(kernelsDir({ kind: 'sys-prefix' }, '/usr/bin/python3'), '/usr/share/jupyter/kernels');
    assert.throws(() => kernelsDir({ kind: 'sys-prefix' }, '/no/such/python'), /--sys-prefix needs the Python/);
  });
  it('kernel.json: message interrupts, the connection file, an optional fixed workspace', () => {
    const spec = kernelSpec('/w') as { argv: string[]; interrupt_mode: string; language: string };
    assert.equal(spec.interrupt_mode, 'message');
    assert.equal(spec.language, 'kusto');
    assert.deepEqual(spec.argv.slice(2), ['kernel', 'start', '-f', '{connection_file}', '--workspace', '/w']);
  });
  it('logos are valid RGBA PNGs of the sizes Jupyter asks for', () => {
    for (const size of [32, 64]) {
      const png = logoPng(size);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.equal(png.readUInt32BE(16), size);
      assert.equal(png.readUInt32BE(20), size);
      const idatLen = png.readUInt32BE(33);
      assert.equal(png.subarray(37, 41).toString(), 'IDAT');
      assert.equal(inflateSync(png.subarray(41, 41 + idatLen)).length, size * (size * 4 + 1));
    }
  });
});
