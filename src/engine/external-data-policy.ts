import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KqlError } from '../kql/diagnostics.js';

/** Where an externaldata source lives: a local file, or an http(s) URL. Other schemes are refused. */
export function externalSourceKind(source: string): 'local' | 'remote' {
  if (/^https?:\/\//i.test(source)) return 'remote';
  if (/^file:\/\//i.test(source) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return 'local';
  throw new KqlError('unsupported', `externaldata: the source '${withoutSecrets(source)}' is neither a local file nor an http(s) URL`);
}

/** The local path of a `file://` URI or plain path. */
export function localPath(source: string): string {
  return source.replace(/^file:\/\//i, '');
}

/** A URL without its query string and fragment, which often carry SAS tokens or keys. */
const withoutSecrets = (url: string): string => url.replace(/[?#].*$/, '');

/** Downloads a URL to a local file and returns its path. */
export type RemoteFetcher = (url: string) => Promise<string>;

/**
 * Which http(s) sources externaldata may read. A workspace lists URL prefixes it trusts
 * (`externalData.allow` in quarry.yaml); a local-only workspace allows none. DuckDB never
 * touches the network itself: allowed sources are fetched by `fetch` into local files first.
 */
export interface RemoteDataPolicy {
  /** URL prefixes (e.g. `https://raw.githubusercontent.com/org/`); `*` allows every http(s) URL. */
  allow: readonly string[];
  fetch?: RemoteFetcher;
}

export const NO_REMOTE_DATA: RemoteDataPolicy = { allow: [] };

function isAllowed(url: string, policy: RemoteDataPolicy): boolean {
  return policy.allow.some((prefix) => prefix === '*' || url.toLowerCase().startsWith(prefix.toLowerCase()));
}

/** Every externaldata source in a plan, wherever it sits. */
export function externalSources(ir: unknown): string[] {
  const found: string[] = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    const node = v as { op?: unknown; sources?: unknown };
    if (node.op === 'externalData' && Array.isArray(node.sources)) found.push(...(node.sources as string[]));
    for (const child of Object.values(v)) visit(child);
  };
  visit(ir);
  return found;
}

/** Refuses remote externaldata sources the policy does not allow. */
export function checkExternalData(ir: unknown, policy: RemoteDataPolicy): void {
  for (const s of externalSources(ir)) {
    if (externalSourceKind(s) === 'remote' && !isAllowed(s, policy)) {
      const how = policy.allow.length
        ? `it is not under the URL prefixes this workspace allows (externalData.allow in quarry.yaml: ${policy.allow.join(', ')})`
        : 'this workspace allows no network sources (list trusted URL prefixes under externalData.allow in quarry.yaml)';
      throw new KqlError('semantic', `externaldata: reading '${withoutSecrets(s)}' needs network access, and ${how}`);
    }
  }
}

/** Thrown by the compiler when an allowed remote source has not been fetched yet. */
export class RemoteFetchNeeded extends Error {
  constructor(readonly urls: string[]) {
    super(`externaldata: ${urls.length} remote source(s) to fetch first`);
  }
}

const FETCH_TIMEOUT_MS = 60_000;
const MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024;

/**
 * The default fetcher: an http(s) GET with a time limit and a size cap, saved under the system's
 * temporary folder. The file keeps the URL's extension so DuckDB recognises `.gz`/`.zst` input.
 */
export const httpFetcher: RemoteFetcher = async (url) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' }).catch((err: unknown) => {
    throw new KqlError('runtime', `externaldata: could not fetch '${withoutSecrets(url)}': ${(err as Error).message}`);
  });
  if (!response.ok) throw new KqlError('runtime', `externaldata: '${withoutSecrets(url)}' answered HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_DOWNLOAD_BYTES) throw new KqlError('runtime', `externaldata: '${withoutSecrets(url)}' is larger than ${MAX_DOWNLOAD_BYTES} bytes`);
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_DOWNLOAD_BYTES) throw new KqlError('runtime', `externaldata: '${withoutSecrets(url)}' is larger than ${MAX_DOWNLOAD_BYTES} bytes`);
  const dir = path.join(tmpdir(), 'quarry-externaldata');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ext = path.extname(new URL(url).pathname).replace(/[^.a-z0-9]/gi, '');
  const file = path.join(dir, createHash('sha256').update(url).digest('hex').slice(0, 32) + ext);
  // Write then rename, so a concurrent reader never sees half a file.
  writeFileSync(`${file}.part`, body, { mode: 0o600 });
  renameSync(`${file}.part`, file);
  return file;
};
