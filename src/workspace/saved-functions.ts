/**
 * Saved KQL functions: one `.kql` file per function in a workspace's `functions/` folder (the
 * file name is the function name, the text its body), usable by name in every query, as a
 * Sentinel workspace's saved functions and parsers are. Quarry's own functions (content/functions,
 * e.g. the Sysmon parser) are there by default; a workspace file of the same name replaces one.
 *
 * Leading `//` lines are the description; one of them may declare parameters:
 *   // parameters: (account:string, lookback:timespan = 1d)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SavedFunction } from '../kql/frontend/kusto-language.js';

export type { SavedFunction } from '../kql/frontend/kusto-language.js';

const BUILT_IN_DIR = fileURLToPath(new URL('../../content/functions/', import.meta.url));
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** How long a folder listing is trusted before files are looked at again (edits take effect after it). */
const RESCAN_MS = 2000;

export class SavedFunctionError extends Error {}

/** Reads one function file. Throws SavedFunctionError naming the file when it is not usable. */
export function readSavedFunction(file: string): SavedFunction {
  const name = path.basename(file, '.kql');
  if (!NAME.test(name)) throw new SavedFunctionError(`${file}: '${name}' is not a valid function name (letters, digits and _)`);
  const text = readFileSync(file, 'utf8');
  let parameters = '()';
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    if (!t.startsWith('//')) break;
    const m = /^\/\/\s*parameters\s*:\s*(\(.*\))\s*$/i.exec(t);
    if (m) parameters = m[1]!;
  }
  if (!text.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('//'))) throw new SavedFunctionError(`${file}: the function has no body`);
  return { name, parameters, body: text, source: file };
}

/** The saved functions of a workspace folder (and the built-in ones), re-read when files change. */
export class SavedFunctions {
  private functions = new Map<string, SavedFunction>();
  private signature = '';
  private scannedAt = 0;
  private generation = 0;
  readonly errors: string[] = [];

  constructor(private readonly dirs: string[]) {}

  /** A workspace's functions over Quarry's built-in ones. */
  static forWorkspace(workspaceDir: string): SavedFunctions {
    return new SavedFunctions([BUILT_IN_DIR, path.join(workspaceDir, 'functions')]);
  }

  get(name: string): SavedFunction | undefined {
    this.refresh();
    return this.functions.get(name);
  }

  /** Changes whenever a function file is added, removed or edited (for cache keys). */
  version(): number {
    this.refresh();
    return this.generation;
  }

  list(): SavedFunction[] {
    this.refresh();
    return [...this.functions.values()];
  }

  private refresh(): void {
    if (Date.now() - this.scannedAt < RESCAN_MS) return;
    this.scannedAt = Date.now();
    const files: string[] = [];
    for (const dir of this.dirs) {
      let names: string[];
      try {
        names = readdirSync(dir).filter((f) => f.endsWith('.kql')).sort();
      } catch {
        continue;
      }
      for (const f of names) files.push(path.join(dir, f));
    }
    const signature = files.map((f) => `${f}:${statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0}`).join('|');
    if (signature === this.signature) return;
    this.signature = signature;
    this.generation++;
    this.functions = new Map();
    this.errors.length = 0;
    // Later folders (the workspace's) replace earlier ones (built-in) by name.
    for (const f of files) {
      try {
        const fn = readSavedFunction(f);
        this.functions.set(fn.name, fn);
      } catch (err) {
        this.errors.push((err as Error).message);
      }
    }
  }
}
