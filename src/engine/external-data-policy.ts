import { KqlError } from '../kql/diagnostics.js';

/** Where an externaldata source lives: a local file, or an http(s) URL. Other schemes are refused. */
export function externalSourceKind(source: string): 'local' | 'remote' {
  if (/^https?:\/\//i.test(source)) return 'remote';
  if (/^file:\/\//i.test(source) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return 'local';
  throw new KqlError('unsupported', `externaldata: the source '${source.replace(/[?#].*$/, '')}' is neither a local file nor an http(s) URL`);
}

/** The local path of a `file://` URI or plain path. */
export function localPath(source: string): string {
  return source.replace(/^file:\/\//i, '');
}

/**
 * Refuses remote externaldata sources unless the engine was opened with `allowRemoteData` (a
 * workspace that is not local-only). Walks the whole IR, whatever operators it holds.
 */
export function checkExternalData(ir: unknown, allowRemote: boolean): void {
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    const node = v as { op?: unknown; sources?: unknown };
    if (node.op === 'externalData' && Array.isArray(node.sources)) {
      for (const s of node.sources as string[]) {
        if (externalSourceKind(s) === 'remote' && !allowRemote) {
          throw new KqlError('semantic', `externaldata: reading '${s.replace(/[?#].*$/, '')}' needs network access, which this workspace does not allow (localOnly)`);
        }
      }
    }
    for (const child of Object.values(v)) visit(child);
  };
  visit(ir);
}
