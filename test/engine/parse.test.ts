import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kvPairRegex, parsePatternRegex } from '../../src/engine/duckdb/operators/parse-regex.js';
import { countCaptureGroups } from '../../src/engine/duckdb/functions/regex.js';
import { KqlError } from '../../src/kql/diagnostics.js';
import { objects, useEngine } from './helpers.js';

/** The docs' trace lines (parse-operator.md), two of them with values that do not convert. */
const TRACES = `let Traces = datatable(EventText: string) [
  "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)",
  "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=nonValidLong, sliceNumber=15, lockTime=02/17/2016 08:40:00, releaseTime=nonValidDateTime, previousLockTime=02/17/2016 08:39:00)"
];`;
const TRACE_PATTERN = `* "resourceName=" resourceName ", totalSlices=" totalSlices: long ", sliceNumber=" sliceNumber: long * "releaseTime=" releaseTime: datetime "," *`;

describe('parse', () => {
  const engine = useEngine();
  const query = async (kql: string) => objects(await engine().query(kql));
  const one = async (kql: string) => {
    const rows = await query(kql);
    assert.equal(rows.length, 1, `one row from ${kql}`);
    return rows[0]!;
  };
  const fails = async (kql: string, message: RegExp) => {
    await assert.rejects(engine().query(kql), (e: unknown) => e instanceof KqlError && message.test(e.message));
  };

  it('extracts the text between constants; * skips; typed captures convert (docs: parse-operator)', async () => {
    const rows = await query(`${TRACES} Traces | take 1 | parse EventText with ${TRACE_PATTERN} | project-away EventText`);
    assert.deepEqual(rows, [{ resourceName: 'PipelineScheduler', totalSlices: 27, sliceNumber: 23, releaseTime: '2016-02-17T08:40:01.0000000Z' }]);
  });

  it('a capture named like an input column replaces it, as extend does: the source reads the old value first', async () => {
    const r = await engine().query('datatable(Status:string, n:long)["code=7 user=bob", 1] | parse Status with "code=" code:long " user=" Status');
    assert.deepEqual(r.columns.map((c) => `${c.name}:${c.type}`), ['n:long', 'code:long', 'Status:string']);
    assert.deepEqual(r.rows, [[1, 7, 'bob']]);
    const kv = await query('datatable(user:string, s:string)["old", "user=new"] | parse-kv s as (user:string) with (pair_delimiter=" ", kv_delimiter="=")');
    assert.deepEqual(kv, [{ s: 'user=new', user: 'new' }]);
    await fails('datatable(Resource:string, s:string)["a","x=12"] | parse s with "x=" Resource:long', /parse into the string column 'Resource' as long/);
  });

  it('reports the columns Kusto.Language gives the operator, with their types', async () => {
    const r = await engine().query('print s="a=1" | parse s with "a=" a:long');
    assert.deepEqual(r.columns.map((c) => `${c.name}:${c.type}`), ['s:string', 'a:long']);
  });

  it('a capture ends at the first occurrence of the next constant; the last capture takes the rest', async () => {
    const row = await one('print s="k=v1; k=v2; tail" | parse s with "k=" firstValue "; " rest');
    assert.equal(row.firstValue, 'v1');
    assert.equal(row.rest, 'k=v2; tail');
  });

  it('the pattern matches from the start of the text: without a leading * the first constant must start it', async () => {
    assert.equal((await one('print s="xx a=1" | parse s with "a=" a:long')).a, null);
    assert.equal((await one('print s="xx a=1" | parse s with * "a=" a:long')).a, 1);
  });

  it('simple kind: a typed capture that does not convert fails the whole match (all new columns empty), the row stays', async () => {
    const rows = await query(`${TRACES} Traces | parse EventText with ${TRACE_PATTERN} | project resourceName, totalSlices, sliceNumber, releaseTime`);
    assert.deepEqual(rows.find((r) => r.sliceNumber === null), { resourceName: '', totalSlices: null, sliceNumber: null, releaseTime: null });
    assert.equal(rows.length, 2);
  });

  it('no match: new string columns are empty, typed ones null, and the row is kept', async () => {
    assert.deepEqual(await one('print s="nothing here" | parse s with "user=" user " id=" id:long'), { s: 'nothing here', user: '', id: null });
  });

  it('relaxed kind: a typed capture that does not convert is null, the others are kept (docs: kind=relaxed)', async () => {
    const rows = await query(`${TRACES} Traces | parse kind=relaxed EventText with ${TRACE_PATTERN} | project resourceName, totalSlices, sliceNumber, releaseTime | sort by sliceNumber asc`);
    assert.deepEqual(rows, [
      { resourceName: 'PipelineScheduler', totalSlices: null, sliceNumber: 15, releaseTime: null },
      { resourceName: 'PipelineScheduler', totalSlices: 27, sliceNumber: 23, releaseTime: '2016-02-17T08:40:01.0000000Z' },
    ]);
  });

  it('converts each capture type as the to<type>() functions do', async () => {
    const row = await one(`print s='t=00:05:00 d={"a":1} g=0f8fad5b-d9cb-469f-a165-70867728950e b=true r=2.5 i=-7'
      | parse s with "t=" t:timespan " d=" d:dynamic " g=" g:guid " b=" b:bool " r=" r:real " i=" i:int | project-away s`);
    assert.deepEqual(row, { t: '00:05:00', d: { a: 1 }, g: '0f8fad5b-d9cb-469f-a165-70867728950e', b: true, r: 2.5, i: -7 });
  });

  it('a number capture before * stops after its digits', async () => {
    assert.equal((await one('print s="count=42 items" | parse s with "count=" n:long *')).n, 42);
  });

  it('constants are plain text in the simple kind: regex characters match only themselves', async () => {
    const row = await one('print s="x.y(1)", t="xzy(1)" | parse s with "x.y(" a:long ")" | parse t with "x.y(" b:long ")"');
    assert.equal(row.a, 1);
    assert.equal(row.b, null);
  });

  it('a constant with a quote in it reaches SQL safely', async () => {
    assert.equal((await one(`print s="it's 5 o'clock" | parse s with "it's " n:long " o'clock"`)).n, 5);
  });

  it('the simple kind matches across line breaks', async () => {
    assert.equal((await one('print s="line1\\nkey=v\\nend" | parse s with * "key=" v "\\n" *')).v, 'v');
  });

  it('parses the text of a non-string expression (a dynamic bag)', async () => {
    assert.equal((await one('print d=dynamic({"user":"bob"}) | parse d with * "user\\":\\"" u "\\"" *')).u, 'bob');
  });

  it('regex kind: constants are regexes, captures greedy by default (docs: kind=regex)', async () => {
    const row = await one(`${TRACES} Traces | take 1 | parse kind=regex EventText with * "resourceName=" resourceName ',' * | project resourceName`);
    assert.equal(row.resourceName, 'PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01');
  });

  it('regex kind flags: U makes captures lazy, i ignores case (docs: flags=Ui)', async () => {
    const row = await one(`${TRACES} Traces | take 1 | parse kind=regex flags=Ui EventText with * "RESOURCENAME=" resourceName ',' * | project resourceName`);
    assert.equal(row.resourceName, 'PipelineScheduler');
  });

  it('regex kind: groups in the user\'s regexes do not shift the captured columns', async () => {
    assert.equal((await one('print s="ab12cd" | parse kind=regex s with "([a-z]+)" n:long "([a-z]+)"')).n, 12);
  });

  it('regex kind: . stops at line breaks unless flags=s', async () => {
    assert.equal((await one('print s="a=x\\ny;" | parse kind=regex s with "a=" v ";"')).v, '');
    assert.equal((await one('print s="a=x\\ny;" | parse kind=regex flags=s s with "a=" v ";"')).v, 'x\ny');
  });

  it('security log: a syslog line into its fields', async () => {
    const row = await one(`print Line="<34>Oct 11 22:14:15 mymachine su[1234]: 'su root' failed for lonvick on /dev/pts/8"
      | parse Line with "<" Pri:int ">" Month " " Day:int " " Time " " Host " " Process "[" Pid:long "]: " Message | project-away Line`);
    assert.deepEqual(row, { Pri: 34, Month: 'Oct', Day: 11, Time: '22:14:15', Host: 'mymachine', Process: 'su', Pid: 1234, Message: "'su root' failed for lonvick on /dev/pts/8" });
  });

  it('security log: a Windows command line with a quoted executable path', async () => {
    const row = await one(`print CommandLine='"C:\\\\Windows\\\\System32\\\\cmd.exe" /c "whoami /all"' | parse CommandLine with '"' Exe '" ' Args`);
    assert.equal(row.Exe, 'C:\\Windows\\System32\\cmd.exe');
    assert.equal(row.Args, '/c "whoami /all"');
  });

  it('keeps the row order a sort gave (row_number after parse)', async () => {
    const rows = await query('range x from 1 to 3 step 1 | extend s=strcat("v=", x) | sort by x desc | parse s with "v=" v:long | extend rn=row_number() | project v, rn');
    assert.deepEqual(rows, [{ v: 3, rn: 1 }, { v: 2, rn: 2 }, { v: 1, rn: 3 }]);
  });

  it('refuses bad input with the operator named', async () => {
    await fails('print s="a=1" | parse kind=simple flags=i s with "a=" v', /parse: flags= applies only to kind=regex/);
    await fails('print s="a=1" | parse s with "a=" s:long', /parse into the string column 's' as long/);
    await fails('print s="a" | parse kind=regex s with "(a" x', /parse: the regex '\(a' is not valid: missing \)/);
    await fails('print s="a" | parse-where kind=regex s with "\\\\q" x', /invalid regular expression in parse-where kind=regex: invalid escape sequence/);
  });
});

describe('parse-where', () => {
  const engine = useEngine();
  const query = async (kql: string) => objects(await engine().query(kql));

  it('drops rows that do not match, and rows whose typed captures do not convert (docs: parse-where)', async () => {
    const rows = await query(`${TRACES} Traces | parse-where EventText with ${TRACE_PATTERN} | project sliceNumber`);
    assert.deepEqual(rows, [{ sliceNumber: 23 }]);
    assert.deepEqual(await query('print s="nothing here" | parse-where s with "user=" user'), []);
  });

  it('regex kind with flags (docs: parse-where kind=regex flags=i)', async () => {
    const rows = await query(`${TRACES} Traces | parse-where kind=regex flags=i EventText with * "RESOURCENAME=" resourceName "," * "totalSlices=" totalSlices: long "," * | project resourceName, totalSlices`);
    assert.deepEqual(rows, [{ resourceName: 'PipelineScheduler', totalSlices: 27 }]);
  });

  it('relaxed kind keeps a matching row whose typed capture does not convert', async () => {
    const rows = await query('print s="n=abc tail" | parse-where kind=relaxed s with "n=" n:long " " rest');
    assert.deepEqual(rows, [{ s: 'n=abc tail', n: null, rest: 'tail' }]);
  });
});

describe('parse-kv', () => {
  const engine = useEngine();
  const one = async (kql: string) => {
    const rows = objects(await engine().query(kql));
    assert.equal(rows.length, 1);
    return rows[0]!;
  };
  const fails = async (kql: string, message: RegExp) => {
    await assert.rejects(engine().query(kql), (e: unknown) => e instanceof KqlError && message.test(e.message));
  };

  it('pairs split by the given delimiters; keys and values lose surrounding spaces (docs: parse-kv)', async () => {
    const row = await one(`print str="ThreadId:458745723, Machine:Node001, Text: The service is up, Level: Info"
      | parse-kv str as (Text: string, ThreadId:long, Machine: string) with (pair_delimiter=',', kv_delimiter=':') | project-away str`);
    assert.deepEqual(row, { Text: 'The service is up', ThreadId: 458745723, Machine: 'Node001' });
  });

  it('quoted keys and values may hold delimiters; quote= with two characters opens and closes', async () => {
    const row = await one(`print str='src=10.1.1.123 bytes=125 failure=(connection aborted) (event time)=(2021-01-01 10:00:54)'
      | parse-kv str as (['event time']:datetime, src:string, bytes:long, failure:string) with (pair_delimiter=' ', kv_delimiter='=', quote='()') | project-away str`);
    assert.deepEqual(row, { 'event time': '2021-01-01T10:00:54.0000000Z', src: '10.1.1.123', bytes: 125, failure: 'connection aborted' });
  });

  it('escape= protects a quote inside a quoted value', async () => {
    const row = await one(`print str='failure="the remote host sent \\\\"bye!\\\\"" time=2021-01-01T10:00:54'
      | parse-kv str as (failure:string) with (pair_delimiter=' ', kv_delimiter='=', quote='"', escape='\\\\')`);
    assert.equal(row.failure, 'the remote host sent "bye!"');
  });

  it('greedy=true: a value runs on up to the next key (docs: greedy)', async () => {
    const kql = (greedy: string) => `print str='name=John Doe phone=555 5555 city=New York'
      | parse-kv str as (name:string, phone:string, city:string) with (pair_delimiter=' ', kv_delimiter='='${greedy}) | project-away str`;
    assert.deepEqual(await one(kql('')), { name: 'John', phone: '555', city: 'New' });
    assert.deepEqual(await one(kql(', greedy=true')), { name: 'John Doe', phone: '555 5555', city: 'New York' });
  });

  it('without delimiters, any non-alphanumeric text separates keys and values (docs)', async () => {
    const row = await one(`print str="2021-01-01T10:00:34 [INFO] ThreadId:458745723, Machine:Node001, Text: 'The service \\\\' is up'"
      | parse-kv str as (Text: string, ThreadId:long, Machine: string) with (quote="'", escape='\\\\') | project-away str`);
    assert.deepEqual(row, { Text: "The service ' is up", ThreadId: 458745723, Machine: 'Node001' });
  });

  it('regex=: the first group is the key, the second the value (docs)', async () => {
    const row = await one(`print str=@'["referer url: https://hostname.com/redirect?dest=/?h=1234", "advertiser id: 24fefbca-cf27-4d62-a623-249c2ad30c73"]'
      | parse-kv str as (['referer url']:string, ['advertiser id']: guid) with (regex=@'"([\\w ]+)\\s*:\\s*([^"]*)"') | project-away str`);
    assert.deepEqual(row, { 'referer url': 'https://hostname.com/redirect?dest=/?h=1234', 'advertiser id': '24fefbca-cf27-4d62-a623-249c2ad30c73' });
  });

  it('a key that is absent gives empty (string) or null; the first occurrence of a key wins; keys match case-sensitively', async () => {
    const row = await one(`print s='k1=v1,k1=v2,Id=7' | parse-kv s as (k1:string, id:long, other:string) with (pair_delimiter=',', kv_delimiter='=') | project-away s`);
    assert.deepEqual(row, { k1: 'v1', id: null, other: '' });
  });

  it('security log: a quoted value cannot inject a key (key=value firewall line)', async () => {
    const row = await one(`print s='msg="login src=6.6.6.6" src=10.0.0.5 port=22'
      | parse-kv s as (src:string, port:int, msg:string) with (pair_delimiter=' ', kv_delimiter='=', quote='"') | project-away s`);
    assert.deepEqual(row, { src: '10.0.0.5', port: 22, msg: 'login src=6.6.6.6' });
  });

  it('security log: a CEF extension with spaces in values, read greedily', async () => {
    const row = await one(`print s='act=blocked msg=Port scan detected src=10.0.0.1 spt=4444'
      | parse-kv s as (act:string, msg:string, src:string, spt:long) with (pair_delimiter=' ', kv_delimiter='=', greedy=true) | project-away s`);
    assert.deepEqual(row, { act: 'blocked', msg: 'Port scan detected', src: '10.0.0.1', spt: 4444 });
  });

  it('delimiters of several characters; a quoted value keeps them', async () => {
    const row = await one(`print s='user => bob ;; action => logon ;; note => "a ;; b => c"'
      | parse-kv s as (user:string, action:string, note:string) with (pair_delimiter=';;', kv_delimiter='=>', quote='"') | project-away s`);
    assert.deepEqual(row, { user: 'bob', action: 'logon', note: 'a ;; b => c' });
  });

  it('key names and delimiters with quotes and SQL text reach SQL only as literals', async () => {
    const row = await one(`print s="k'q=1,x'); DROP TABLE t; --=2" | parse-kv s as (['k\\'q']:long, ['x\\'); DROP TABLE t; --']:long) with (pair_delimiter=',', kv_delimiter='=')`);
    assert.equal(row["k'q"], 1);
    assert.equal(row["x'); DROP TABLE t; --"], 2);
  });

  it('refuses bad options with the operator named', async () => {
    await fails(`print s='k=v' | parse-kv s as (k:string) with (regex=@'(\\w+)=')`, /parse-kv: regex= needs exactly two capturing groups/);
    await fails(`print s='a=1' | parse-kv s as (a:string) with (pair_delimiter='=', kv_delimiter='=')`, /parse-kv: pair_delimiter and kv_delimiter must differ/);
    await fails(`print s='a=1' | parse-kv s as (a:string) with (pair_delimiter='', kv_delimiter='=')`, /parse-kv: pair_delimiter= must not be empty/);
    await fails(`print s='a=1' | parse-kv s as (a:string) with (quote='"', escape='ab')`, /parse-kv: escape='ab' must be one character/);
  });
});

describe('parse patterns in RE2', () => {
  it('counts only capturing groups: not escaped, not in a class, not (?:…) or flags; named groups count', () => {
    assert.equal(countCaptureGroups(String.raw`(a)(?:b)(?P<n>c)(?<m>d)(?i)[(]\(x\)`), 3);
    assert.equal(countCaptureGroups(String.raw`[]()]([^]()])`), 1);
  });

  it('simple kind: constants escaped, captures lazy, anchored at both ends, line breaks crossed', () => {
    const r = parsePatternRegex({ kind: 'simple', flags: '', elements: [{ k: 'skip' }, { k: 'text', text: 'a.b(' }, { k: 'capture', name: 'n', type: 'long' }, { k: 'text', text: ')' }, { k: 'capture', name: 's', type: 'string' }] });
    assert.equal(r.regex, String.raw`(?s)\A.*?a\.b\((-?\d+)\)(.*?)\z`);
    assert.deepEqual(r.groups, [1, 2]);
  });

  it('regex kind: the user\'s groups are counted before each capture; flags lead the pattern', () => {
    const r = parsePatternRegex({ kind: 'regex', flags: 'Ui', elements: [{ k: 'text', text: '(x|y)=' }, { k: 'capture', name: 'v', type: 'string' }] });
    assert.equal(r.regex, String.raw`(?Ui)\A(?:(x|y)=)(.*)\z`);
    assert.deepEqual(r.groups, [2]);
    assert.equal(r.groupCount, 2);
  });

  it('parse-kv pairs: delimiters become escaped class members', () => {
    const re = kvPairRegex({ k: 'delimited', pairDelimiter: ']', kvDelimiter: '^', quotes: [], escapes: [], greedy: false });
    assert.equal(re, String.raw`(?s)\s*([^\]\^]+)\s*\^\s*([^\]]*)`);
  });
});
