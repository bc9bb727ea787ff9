import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** The Jupyter messaging protocol version this kernel speaks. */
export const PROTOCOL_VERSION = '5.3';
const DELIMITER = '<IDS|MSG>';

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/** A decoded Jupyter message (the routing identities kept for the reply). */
export interface JupyterMessage {
  identities: Buffer[];
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers: Buffer[];
}

/** A message refused before it reached a handler (logged, never fatal). */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

/**
 * Signs and checks messages: HMAC-SHA256 over header, parent header, metadata and content,
 * with the key of the connection file. An empty key means signing is off (Jupyter's rule).
 */
export class Signer {
  constructor(private readonly key: string, private readonly scheme = 'hmac-sha256') {
    if (scheme !== 'hmac-sha256') throw new WireError(`unsupported signature scheme '${scheme}' (only hmac-sha256)`);
  }

  sign(parts: readonly Buffer[]): string {
    if (!this.key) return '';
    const h = createHmac('sha256', this.key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  }

  /** Constant-time comparison of the expected and the received signature. */
  verify(signature: Buffer, parts: readonly Buffer[]): boolean {
    if (!this.key) return true;
    const expected = Buffer.from(this.sign(parts), 'latin1');
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
}

/** Decodes the frames of one message; throws WireError when malformed or wrongly signed. */
export function decode(frames: readonly Buffer[], signer: Signer): JupyterMessage {
  const split = frames.findIndex((f) => f.length === DELIMITER.length && f.toString('latin1') === DELIMITER);
  if (split < 0) throw new WireError('no <IDS|MSG> delimiter');
  if (frames.length < split + 6) throw new WireError(`too few frames (${frames.length - split - 1} after the delimiter, 5 needed)`);
  const signature = frames[split + 1]!;
  const parts = frames.slice(split + 2, split + 6);
  if (!signer.verify(signature, parts)) throw new WireError('bad signature');
  const json = (b: Buffer, what: string): Record<string, unknown> => {
    let v: unknown;
    try {
      v = JSON.parse(b.toString('utf8'));
    } catch {
      throw new WireError(`${what} is not JSON`);
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new WireError(`${what} is not an object`);
    return v as Record<string, unknown>;
  };
  const header = json(parts[0]!, 'header');
  if (typeof header['msg_type'] !== 'string' || typeof header['msg_id'] !== 'string') throw new WireError('header without msg_type or msg_id');
  return {
    identities: frames.slice(0, split) as Buffer[],
    header: header as unknown as MessageHeader,
    parent_header: json(parts[1]!, 'parent header') as Partial<MessageHeader>,
    metadata: json(parts[2]!, 'metadata'),
    content: json(parts[3]!, 'content'),
    buffers: frames.slice(split + 6) as Buffer[],
  };
}

/** Encodes a message as frames, signed. */
export function encode(
  signer: Signer,
  msgType: string,
  content: unknown,
  parent: JupyterMessage | undefined,
  session: string,
  identities: readonly Buffer[] = parent?.identities ?? [],
  metadata: Record<string, unknown> = {},
): Buffer[] {
  const header: MessageHeader = {
    msg_id: randomUUID(),
    session,
    username: 'quarry',
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
  const parts = [header, parent?.header ?? {}, metadata, content].map((p) => Buffer.from(JSON.stringify(p), 'utf8'));
  return [...identities, Buffer.from(DELIMITER, 'latin1'), Buffer.from(signer.sign(parts), 'latin1'), ...parts];
}
