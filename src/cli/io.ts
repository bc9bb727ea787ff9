import type { Readable, Writable } from 'node:stream';

/** The streams a command talks to; process.std* in production, in-memory streams in tests. */
export interface CliIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
}

/** A mistake in how quarry was invoked: reported as `error: …` with exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_OK = 0;
export const EXIT_QUERY_ERROR = 1;
export const EXIT_USAGE = 2;

/** Writes and waits until the stream has taken the data, so answers go out one by one. */
export function writeOut(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

/** The width to fit tables into: the terminal's when the stream is one, else none. */
export function terminalWidth(stream: CliIO['stdout']): number | undefined {
  return stream.isTTY && stream.columns ? stream.columns : undefined;
}

/** Reads a whole stream as UTF-8 text. */
export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
