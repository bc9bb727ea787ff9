// Syslog (RFC 3164, RFC 5424), CEF and LEEF parsers on the shared sample files and on the
// RFCs' own examples, plus a short fuzz run (npm run fuzz:ingest runs a long one).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseCefExtensions, parseCefMessage } from '../../src/ingest/formats/cef.js';
import { parseLeefMessage } from '../../src/ingest/formats/leef.js';
import { parseSyslog } from '../../src/ingest/formats/syslog.js';
import { fuzzParsers } from '../../src/ingest/fuzz.js';

const DATA = '/work/shared/data/syslog';
const ctx = { received: new Date('2026-11-29T12:00:00Z') };
const lines = (file: string) => readFileSync(`${DATA}/${file}`, 'utf8').split('\n').filter((l) => l.trim() !== '');
const ok = (line: string) => {
  const r = parseSyslog(line, ctx);
  if (!r.ok) assert.fail(`not parsed: ${r.reason}\n${line}`);
  return r;
};

describe('RFC 3164', () => {
  it('reads every OpenVPN sample line (no PRI; with and without [pid])', () => {
    const all = lines('rfc3164/openvpn.log');
    assert.equal(all.length, 32);
    for (const line of all) {
      const r = ok(line);
      assert.equal(r.table, 'Syslog');
      assert.equal(r.values.HostName, 'demo-host.local');
      assert.equal(r.values.ProcessName, 'openvpn');
      assert.equal(r.values.Facility, 'user'); // RFC 3164 §4.3.3: a missing PRI is user.notice
      assert.equal(r.values.SeverityLevel, 'notice');
    }
    const first = ok(all[1]!);
    assert.equal(first.values.ProcessID, 30264);
    assert.equal(first.values.SyslogMessage, '1.2.3.4:41445 peer info: IV_TCPNL=1');
    assert.deepEqual(first.values.EventTime, new Date('2026-06-21T11:17:33Z'));
    assert.equal(ok(all[0]!).values.ProcessID, undefined);
  });

  it('decodes PRI into facility and severity names as Sentinel spells them', () => {
    const r = ok(lines('rfc3164/exabeam.log')[0]!);
    // <85> = facility 10 (authpriv) * 8 + severity 5 (notice)
    assert.equal(r.values.Facility, 'authpriv');
    assert.equal(r.values.SeverityLevel, 'notice');
    assert.equal(r.values.HostName, 'exabeam.exabeam.local');
    assert.equal(r.values.ProcessName, 'Exabeam');
    assert.match(String(r.values.SyslogMessage), /^vendor="Forcepoint"/);
    assert.equal(ok('<0>Jan  1 00:00:00 h k: x').values.SeverityLevel, 'emerg');
    assert.equal(ok('<191>Jan  1 00:00:00 h k: x').values.Facility, 'local7');
    assert.equal(ok('<191>Jan  1 00:00:00 h k: x').values.SeverityLevel, 'debug');
  });

  it('puts a time stamp without a year in the last 12 months', () => {
    const dec = ok('<13>Dec 31 23:59:59 host app: year end');
    assert.deepEqual(dec.values.TimeGenerated, new Date('2025-12-31T23:59:59Z'));
    const nov = ok('<13>Nov 28 10:00:00 host app: yesterday');
    assert.deepEqual(nov.values.TimeGenerated, new Date('2026-11-28T10:00:00Z'));
  });

  it('reads a tag without a host, and RFC 3339 time stamps', () => {
    const r = ok('<38>Jan  5 10:00:00 sshd[812]: Accepted publickey for root');
    assert.equal(r.values.HostName, '');
    assert.equal(r.values.ProcessName, 'sshd');
    assert.equal(r.values.ProcessID, 812);
    const iso = ok('<30>2024-03-01T10:11:12.345678+01:00 web01 nginx[77]: GET /');
    assert.deepEqual(iso.values.TimeGenerated, new Date('2024-03-01T09:11:12.345Z'));
    assert.equal(iso.values.HostName, 'web01');
  });

  it('rejects a line with no header, with a reason', () => {
    const r = parseSyslog('just some text', ctx);
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /no syslog header/);
    assert.equal(parseSyslog('', ctx).ok, false);
    assert.equal(parseSyslog('<999>Jan  1 00:00:00 h x', ctx).ok, false);
  });
});

describe('RFC 5424', () => {
  it('reads the RFC examples', () => {
    const a = ok('<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - BOM\'su root\' failed for lonvick on /dev/pts/8');
    assert.equal(a.values.Facility, 'auth');
    assert.equal(a.values.SeverityLevel, 'crit');
    assert.equal(a.values.HostName, 'mymachine.example.com');
    assert.equal(a.values.ProcessName, 'su');
    assert.equal(a.values.ProcessID, undefined);
    assert.equal(a.values.MsgId, 'ID47');
    assert.deepEqual(a.values.TimeGenerated, new Date('2003-10-11T22:14:15.003Z'));
    const b = ok('<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It\'s time to make the do-nuts.');
    assert.equal(b.values.ProcessID, 8710);
    assert.equal(b.values.SyslogMessage, "%% It's time to make the do-nuts.");
    assert.deepEqual(b.values.TimeGenerated, new Date('2003-08-24T12:14:15.000Z'));
    const c = ok('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] BOMAn application event log entry...');
    assert.equal(c.values.StructuredData, '[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"]');
    assert.equal(c.values.SyslogMessage, 'BOMAn application event log entry...');
    const d = ok('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [a@1 x="a\\]b"][b@2 y="2"]');
    assert.equal(d.values.StructuredData, '[a@1 x="a\\]b"][b@2 y="2"]');
    assert.equal(d.values.SyslogMessage, '');
  });
});

describe('CEF', () => {
  it('maps CEF over syslog (Barracuda, "CEF: 0" with a space) to CommonSecurityLog', () => {
    const r = ok(lines('cef/barracuda-waf-cef.log')[0]!);
    assert.equal(r.table, 'CommonSecurityLog');
    const v = r.values;
    assert.equal(v.Computer, 'Barracuda');
    assert.equal(v.DeviceVendor, 'BarracudaNetworks');
    assert.equal(v.DeviceProduct, 'WAAS');
    assert.equal(v.DeviceVersion, 'BNWAS-1.0');
    assert.equal(v.DeviceEventClassID, 'WAF');
    assert.equal(v.Activity, 'WAF');
    assert.equal(v.LogSeverity, '4');
    assert.equal(v.DeviceEventCategory, 'TR');
    assert.equal(v.DeviceAddress, '10.239.1.26');
    assert.equal(v.SourceIP, '101.173.234.143');
    assert.equal(v.SourcePort, '48293');
    assert.equal(v.DestinationPort, '9049');
    assert.equal(v.ReceivedBytes, '209');
    assert.equal(v.RequestMethod, 'GET');
    assert.equal(v.RequestClientApplication, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.51 Safari/537.36');
    assert.equal(v.DeviceCustomString1Label, 'ClientType');
    assert.equal(v.Message, 'lang=en');
    assert.equal(v.Facility, 'user');
  });

  it('keeps unknown keys of bare CEF in AdditionalExtensions', () => {
    const r = ok(lines('cef/checkpoint-cef.log')[0]!);
    assert.equal(r.values.DeviceVendor, 'Check Point');
    assert.equal(r.values.Activity, 'Firewall Match event');
    const extra = String(r.values.AdditionalExtensions);
    assert.match(extra, /(^|;)cmdLine=System(;|$)/);
    assert.match(extra, /(^|;)localAddress=170\.10\.20\.250(;|$)/);
    assert.equal(r.values.Computer, undefined);
  });

  it('reads a "dd Mmm hh:mm:ss" header followed directly by CEF (ForgeRock)', () => {
    for (const line of lines('cef/forgerock-cef.log')) {
      const r = ok(line);
      assert.equal(r.table, 'CommonSecurityLog');
      assert.equal(r.values.DeviceVendor, 'ForgeRock Inc');
      assert.equal(r.values.SourceIP, '10.0.0.241');
      assert.equal((r.values.TimeGenerated as Date).getUTCMonth(), 3);
    }
  });

  it('unescapes header pipes and extension equals signs', () => {
    const r = parseCefMessage('CEF:0|Ven\\|dor|Prod\\\\uct|1.0|100|Na\\|me|10|src=10.0.0.1 msg=a\\=b c\\\\d\\nline2 act=blocked cs1=x y');
    assert.ok(r.ok);
    const v = (r as { values: Record<string, unknown> }).values;
    assert.equal(v.DeviceVendor, 'Ven|dor');
    assert.equal(v.DeviceProduct, 'Prod\\uct');
    assert.equal(v.Activity, 'Na|me');
    assert.equal(v.Message, 'a=b c\\d\nline2');
    assert.equal(v.DeviceAction, 'blocked');
    assert.equal(v.DeviceCustomString1, 'x y');
    assert.deepEqual(parseCefExtensions('a=1  b= c=x=y'), [['a', '1'], ['b', ''], ['c', 'x=y']]);
  });

  it('parses CEF times (epoch ms, MMM dd yyyy HH:mm:ss) in start/end', () => {
    const r = parseCefMessage('CEF:0|V|P|1|1|n|1|start=1659523775038 end=Aug 03 2022 10:49:36 UTC');
    const v = (r as { values: Record<string, unknown> }).values;
    assert.deepEqual(v.StartTime, new Date(1659523775038));
    assert.deepEqual(v.EndTime, new Date('2022-08-03T10:49:36Z'));
  });

  it('rejects a CEF header that is cut short', () => {
    const r = parseCefMessage('CEF:0|Vendor|Product|1.0');
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /CEF header has 4 of its 7 fields/);
  });
});

describe('LEEF', () => {
  it('reads LEEF 1.0 (tab separated) and maps predefined attributes', () => {
    const r = parseLeefMessage('LEEF:1.0|Microsoft|MSExchange|2013 SP1|15345|src=10.50.1.1\tdst=2.10.20.20\tspt=1200\tsev=7\tusrName=joe\tcat=anomaly\tdevTime=Jan 18 2024 10:00:00');
    assert.ok(r.ok);
    const v = (r as { values: Record<string, unknown> }).values;
    assert.equal(v.DeviceVendor, 'Microsoft');
    assert.equal(v.DeviceEventClassID, '15345');
    assert.equal(v.SourceIP, '10.50.1.1');
    assert.equal(v.DestinationIP, '2.10.20.20');
    assert.equal(v.LogSeverity, '7');
    assert.equal(v.SourceUserName, 'joe');
    assert.equal(v.AdditionalExtensions, 'spt=1200');
    assert.deepEqual(v.TimeGenerated, new Date('2024-01-18T10:00:00Z'));
  });

  it('reads LEEF 2.0 with a declared delimiter (character or hex)', () => {
    const caret = parseLeefMessage('LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=10.0.1.8^dst=10.0.0.5^dstPort=443');
    assert.equal((caret as { values: Record<string, unknown> }).values.DestinationPort, '443');
    const hex = parseLeefMessage('LEEF:2.0|V|P|1|E|x7C|src=1.1.1.1|proto=TCP');
    assert.equal((hex as { values: Record<string, unknown> }).values.Protocol, 'TCP');
    const viaSyslog = ok('<13>Jan  2 03:04:05 qradar LEEF:1.0|V|P|1|E|src=1.2.3.4');
    assert.equal(viaSyslog.table, 'CommonSecurityLog');
    assert.equal(viaSyslog.values.Computer, 'qradar');
    assert.equal(parseLeefMessage('LEEF:2.0|V|P').ok, false);
  });
});

describe('fuzz (short run)', () => {
  it('never throws or hangs on 600 mutated and random messages', () => {
    const seeds = [...lines('rfc3164/openvpn.log').slice(0, 3), ...lines('cef/barracuda-waf-cef.log').slice(0, 1), ...lines('cef/checkpoint-cef.log').slice(0, 1),
      '<165>1 2003-10-11T22:14:15.003Z host app 1 ID [a@1 x="y"] msg', 'LEEF:2.0|V|P|1|E|^|a=1^b=2'];
    const stats = fuzzParsers(seeds, 600, 1234);
    assert.equal(stats.runs, 600);
    assert.ok(stats.maxMs < 1000, `slowest message took ${stats.maxMs} ms`);
    // Both outcomes occur: mutations break some messages and leave others readable.
    assert.ok(stats.parsed > 0 && stats.rejected > 0, JSON.stringify(stats));
  });
});
