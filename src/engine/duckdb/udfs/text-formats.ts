/**
 * Text formats behind UDFs: URLs and their query strings, file paths, CSV records, Windows
 * command lines, version strings. Each returns what Kusto returns (JSON text for dynamic).
 */

/** parse_urlquery's bag: repeated keys keep the last value; values are URL-decoded. */
export function urlQueryParameters(query: string): Record<string, string> {
  const bag: Record<string, string> = {};
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    bag[decodeComponent(key)] = decodeComponent(value);
  }
  return bag;
}

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** parse_urlquery(query): `{"Query Parameters": {…}}`; a leading `?` is skipped. */
export function parseUrlQuery(query: string): string {
  return JSON.stringify({ 'Query Parameters': urlQueryParameters(query.replace(/^\?/, '')) });
}

const ABSOLUTE_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

/**
 * parse_url(url): the parts of an absolute URL, every part a string (Port too); text that is
 * not an absolute URL gives an empty bag.
 */
export function parseUrl(url: string): string {
  const m = ABSOLUTE_URL.exec(url.trim());
  if (!m) return '{}';
  return JSON.stringify({
    Scheme: m[1],
    Host: m[4] ?? '',
    Port: m[5] ?? '',
    Path: m[6] ?? '',
    Username: m[2] ?? '',
    Password: m[3] ?? '',
    'Query Parameters': urlQueryParameters(m[7] ?? ''),
    Fragment: m[8] ?? '',
  });
}

/**
 * parse_path(path): Windows, UNC and POSIX paths and file:// URLs (parse_path docs). A `:name`
 * after the file name is an NTFS alternate data stream.
 */
export function parsePath(input: string): string {
  let path = input;
  let scheme = '';
  const url = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(path);
  if (url) {
    scheme = url[1]!;
    path = url[2]!;
  }
  // Only a drive letter counts as the root (a UNC share does not: parse_path docs).
  const drive = /^[A-Za-z]:/.exec(path);
  const root = drive ? drive[0] : '';
  const lastSep = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const directoryPath = lastSep < 0 ? '' : path.slice(0, lastSep);
  let filename = path.slice(lastSep + 1);
  let stream = '';
  const colon = filename.indexOf(':');
  if (colon >= 0 && !(lastSep < 0 && drive)) {
    stream = filename.slice(colon + 1);
    filename = filename.slice(0, colon);
  }
  const dirSep = Math.max(directoryPath.lastIndexOf('/'), directoryPath.lastIndexOf('\\'));
  const directoryName = directoryPath.slice(dirSep + 1);
  const dot = filename.lastIndexOf('.');
  return JSON.stringify({
    Scheme: scheme,
    RootPath: root,
    DirectoryPath: directoryPath,
    DirectoryName: directoryName === root ? '' : directoryName,
    Filename: filename,
    Extension: dot < 0 ? '' : filename.slice(dot + 1),
    AlternateDataStreamName: stream,
  });
}

/**
 * parse_csv(record): the fields of the first CSV record (RFC 4180 quoting: `""` inside quotes
 * is a quote; a newline inside quotes belongs to the field, outside it ends the record).
 */
export function parseCsv(record: string): string {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const c = record[i]!;
    if (quoted) {
      if (c === '"' && record[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') break;
    else field += c;
  }
  fields.push(field);
  return JSON.stringify(fields);
}

/**
 * parse_command_line(cmd, "windows"): CommandLineToArgvW's rules. Backslashes are literal
 * unless they precede a quote: 2n backslashes + `"` give n backslashes and toggle quoting,
 * 2n+1 give n backslashes and a literal quote; `""` inside quotes is a literal quote.
 */
export function parseWindowsCommandLine(cmd: string): string {
  const args: string[] = [];
  let i = 0;
  // The program name: quotes group, backslashes are plain.
  while (i < cmd.length && /\s/.test(cmd[i]!)) i++;
  if (i >= cmd.length) return '[]';
  let first = '';
  if (cmd[i] === '"') {
    i++;
    while (i < cmd.length && cmd[i] !== '"') first += cmd[i++];
    i++;
  }
  while (i < cmd.length && !/\s/.test(cmd[i]!)) first += cmd[i++];
  args.push(first);
  for (;;) {
    while (i < cmd.length && /\s/.test(cmd[i]!)) i++;
    if (i >= cmd.length) break;
    let arg = '';
    let quoted = false;
    while (i < cmd.length && (quoted || !/\s/.test(cmd[i]!))) {
      const c = cmd[i]!;
      if (c === '\\') {
        let n = 0;
        while (cmd[i] === '\\') {
          n++;
          i++;
        }
        if (cmd[i] === '"') {
          arg += '\\'.repeat(Math.floor(n / 2));
          if (n % 2 === 1) {
            arg += '"';
            i++;
          }
        } else arg += '\\'.repeat(n);
      } else if (c === '"') {
        if (quoted && cmd[i + 1] === '"') {
          arg += '"';
          i += 2;
        } else {
          quoted = !quoted;
          i++;
        }
      } else {
        arg += c;
        i++;
      }
    }
    args.push(arg);
  }
  return JSON.stringify(args);
}

/**
 * parse_version(v): up to four dot-separated parts of at most 8 digits each, as one decimal
 * whose parts occupy 8-digit fields (parse_version docs: "1.2.3.4" is 1,00000002,00000003,00000004).
 * Invalid text gives null.
 */
export function parseVersion(v: string): string | null {
  const parts = v.trim().split('.');
  if (parts.length < 1 || parts.length > 4 || parts.some((p) => !/^\d{1,8}$/.test(p))) return null;
  while (parts.length < 4) parts.push('0');
  const digits = parts.map((p) => p.padStart(8, '0')).join('').replace(/^0+(?=\d)/, '');
  return digits;
}
