/**
 * API tokens of a workspace: random 32-byte secrets shown once, stored as SHA-256 hashes in
 * `.quarry/tokens.json` (mode 0600). A slow hash (scrypt) buys nothing for 256 random bits
 * and would cost every request; comparison is constant-time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { statePath, type Workspace } from '../workspace/workspace.js';

export const TOKENS_FILE = 'tokens.json';
const TOKEN_PREFIX = 'qry_';
/** The token `quarry serve` makes for its owner on each start (replaced at the next start). */
export const OWNER_TOKEN_NAME = 'server-owner';

export interface StoredToken {
  name: string;
  /** hex SHA-256 of the token text. */
  sha256: string;
  created: string;
}

function hash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function readTokens(workspace: Workspace): StoredToken[] {
  const file = statePath(workspace, TOKENS_FILE);
  if (!existsSync(file)) return [];
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(data)) throw new Error(`${file}: expected a JSON array of tokens`);
  return data.filter((t): t is StoredToken => typeof t?.name === 'string' && typeof t?.sha256 === 'string' && /^[0-9a-f]{64}$/.test(t.sha256));
}

function writeTokens(workspace: Workspace, tokens: readonly StoredToken[]): void {
  const file = statePath(workspace, TOKENS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(tokens, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/**
 * Creates a token named `name` and returns its text (the only time it exists in clear).
 * `replace` drops earlier tokens of the same name (the server's owner token).
 */
export function createToken(workspace: Workspace, name: string, options: { replace?: boolean } = {}): string {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const kept = readTokens(workspace).filter((t) => !(options.replace && t.name === name));
  writeTokens(workspace, [...kept, { name, sha256: hash(token).toString('hex'), created: new Date().toISOString() }]);
  return token;
}

/** Checks bearer tokens against the stored hashes (re-read when tokens.json changes). */
export class TokenVerifier {
  private hashes: Buffer[] = [];
  private loadedMtime = -1;

  constructor(private readonly workspace: Workspace) {
    this.reload();
  }

  private mtime(): number {
    try {
      return statSync(statePath(this.workspace, TOKENS_FILE)).mtimeMs;
    } catch {
      return 0;
    }
  }

  private reload(): void {
    this.loadedMtime = this.mtime();
    this.hashes = readTokens(this.workspace).map((t) => Buffer.from(t.sha256, 'hex'));
  }

  /** Is this token one of the workspace's? Tokens created while the server runs count at once. */
  verify(token: string): boolean {
    if (this.check(token)) return true;
    if (this.mtime() === this.loadedMtime) return false;
    this.reload();
    return this.check(token);
  }

  private check(token: string): boolean {
    const candidate = hash(token);
    let ok = false;
    // Compare against every hash (no early exit), each in constant time.
    for (const h of this.hashes) ok = timingSafeEqual(h, candidate) || ok;
    return ok;
  }
}
