import type { z } from 'zod';
import { RequestError, decodeText } from './ingest-body.js';

/** A JSON request body (raw Buffer from the content parser) validated by a zod schema; 400 with the field otherwise. */
export function parseJsonBody<T extends z.ZodType>(body: unknown, schema: T): z.infer<T> {
  const text = Buffer.isBuffer(body) ? decodeText(body) : typeof body === 'string' ? body : '';
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new RequestError(400, `the request body is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.');
    throw new RequestError(400, `invalid request${field ? ` field "${field}"` : ''}: ${issue.message}`);
  }
  return parsed.data;
}
