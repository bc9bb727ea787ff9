import { createInterface } from 'node:readline';
import type { Diagnostic } from '../kql/diagnostics.js';
import type { CliDeps, RunOptions } from './deps.js';
import { openWorkspaceEngine, queryOptions } from './deps.js';
import type { Engine } from './engine-factory.js';
import { diagnosticsOf, formatQueryError, isKqlError } from './error-output.js';
import { wireResult } from './format-json.js';
import { EXIT_OK, EXIT_QUERY_ERROR, writeOut } from './io.js';

type RequestId = string | number | null;

interface BatchError {
  id: RequestId;
  error: string;
  kind?: string;
  diagnostics?: Diagnostic[];
}

/**
 * `quarry query --batch`: NDJSON requests `{"id", "query"}` on stdin, one NDJSON answer per
 * request on stdout, in order, each written as soon as it is ready. An answer is the
 * QueryResult plus `id`, or `{id, error, kind?, diagnostics?}`. Nothing one request does
 * (a failing query, a malformed line) stops the batch.
 */
export async function runBatch(options: RunOptions, deps: CliDeps): Promise<number> {
  const { io } = deps;
  let engine: Engine;
  try {
    ({ engine } = await openWorkspaceEngine(options.workspace, deps));
  } catch (err) {
    await writeOut(io.stderr, formatQueryError('', err));
    return EXIT_QUERY_ERROR;
  }
  try {
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
    // Awaiting inside the loop is what makes the requests run one at a time, in order.
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const answer = await answerRequest(line, engine, options);
      await writeOut(io.stdout, JSON.stringify(answer) + '\n');
    }
    return EXIT_OK;
  } finally {
    await engine.close();
  }
}

async function answerRequest(line: string, engine: Engine, options: RunOptions): Promise<object> {
  const request = parseRequest(line);
  if ('error' in request) return request;
  try {
    const result = await engine.query(request.query, queryOptions(options));
    return { id: request.id, ...wireResult(result) };
  } catch (err) {
    const answer: BatchError = { id: request.id, error: err instanceof Error ? err.message : String(err) };
    if (isKqlError(err)) answer.kind = err.kind;
    const diagnostics = diagnosticsOf(err);
    if (diagnostics) answer.diagnostics = diagnostics;
    return answer;
  }
}

function parseRequest(line: string): { id: RequestId; query: string } | BatchError {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch (err) {
    return { id: null, error: `malformed request: not JSON (${(err as Error).message})` };
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    return { id: null, error: 'malformed request: expected an object {"id", "query"}' };
  }
  const { id, query } = request as { id?: unknown; query?: unknown };
  if (typeof id !== 'string' && typeof id !== 'number') {
    return { id: null, error: 'malformed request: "id" must be a string or a number' };
  }
  if (typeof query !== 'string') return { id, error: 'malformed request: "query" must be a string' };
  return { id, query };
}
