import { readFileSync } from 'node:fs';
import { z } from 'zod';

const port = z.number().int().min(1).max(65535);
const schema = z.object({
  transport: z.enum(['tcp', 'ipc']),
  ip: z.string().min(1),
  shell_port: port,
  iopub_port: port,
  stdin_port: port,
  control_port: port,
  hb_port: port,
  key: z.string(),
  signature_scheme: z.string(),
  kernel_name: z.string().optional(),
});

/** The connection file Jupyter writes for a kernel: where to bind and the signing key. */
export type ConnectionInfo = z.infer<typeof schema>;

export function readConnectionFile(file: string): ConnectionInfo {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the connection file ${file}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new Error(`${file}: not a Jupyter connection file (${parsed.error.issues.map((i) => `${i.path.join('.') || 'top level'}: ${i.message}`).join('; ')})`);
  }
  return parsed.data;
}

/** The ZeroMQ endpoint of one channel. */
export function endpoint(info: ConnectionInfo, portNumber: number): string {
  // For ipc, Jupyter names the socket files `<ip>-<port>`.
  return info.transport === 'tcp' ? `tcp://${info.ip}:${portNumber}` : `ipc://${info.ip}-${portNumber}`;
}
