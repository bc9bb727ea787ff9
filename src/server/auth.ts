/**
 * Who may call the API. Every route but /api/health needs `Authorization: Bearer <token>`
 * (a token of `quarry token create`, or the owner token in server.json) — except when the
 * workspace is explicitly local-only (`localOnly: true` in quarry.yaml) AND the request
 * comes over loopback. A local-only server also refuses to listen on anything but loopback
 * (server.ts), so "local-only" cannot silently become "open to the network".
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenVerifier } from './tokens.js';

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

export function authHook(verifier: TokenVerifier, localOnly: boolean, publicPaths: ReadonlySet<string>) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = request.url.split('?')[0]!;
    if (publicPaths.has(path)) return;
    if (localOnly && isLoopback(request.socket.remoteAddress)) return;
    const token = bearerToken(request.headers.authorization);
    if (token && verifier.verify(token)) return;
    reply.header('WWW-Authenticate', 'Bearer realm="quarry"');
    await reply.code(401).send({ error: token ? 'the access token is not valid for this workspace' : 'authentication required: send Authorization: Bearer <token> (create one with: quarry token create)' });
  };
}
