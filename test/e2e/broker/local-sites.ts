import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { run } from '../run.js';

/**
 * Web sites the broker e2e needs besides the servers under test: an https host publishing Client ID Metadata
 * Documents (a self-signed certificate made by openssl here; the generated server trusts it through
 * NODE_EXTRA_CA_CERTS, as it would a private CA), and a plain page on another origin that frames a URL.
 */
const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
const close = (server: Server): Promise<void> => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve())));

/** A self-signed certificate for 127.0.0.1 (and localhost); `certFile` is what NODE_EXTRA_CA_CERTS names. */
export async function selfSignedCertificate(dir: string): Promise<{ certFile: string; keyFile: string }> {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await run(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', certFile],
    { cwd: dir, timeoutMs: 30_000 },
  );
  return { certFile, keyFile };
}

export interface MetadataDocumentHost {
  origin: string;
  /** Publishes `document` at `path` and returns its URL, the client_id (the document names it as its client_id). */
  publish(path: string, document: (clientId: string) => Record<string, unknown>): string;
  /** Requests per path: the broker fetched the document. */
  requests: Record<string, number>;
  close(): Promise<void>;
}

export async function startMetadataDocumentHost(certificate: { certFile: string; keyFile: string }): Promise<MetadataDocumentHost> {
  const documents = new Map<string, string>();
  const requests: Record<string, number> = {};
  const server = createHttpsServer({ cert: readFileSync(certificate.certFile), key: readFileSync(certificate.keyFile) }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://127.0.0.1').pathname;
    requests[path] = (requests[path] ?? 0) + 1;
    const body = documents.get(path);
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' }).end(body);
  });
  const origin = `https://127.0.0.1:${await listen(server)}`;
  return {
    origin,
    requests,
    publish(path, document) {
      const clientId = `${origin}${path}`;
      documents.set(path, JSON.stringify(document(clientId)));
      return clientId;
    },
    close: () => close(server),
  };
}

/** A page on its own origin that frames `target` (an attacker's clickjacking page). */
export async function startFramingSite(): Promise<{ pageFor(target: string): string; close(): Promise<void> }> {
  const server = createHttpServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('target') ?? 'about:blank';
    const escaped = target.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>Win a prize</title><iframe name="victim" src="${escaped}" width="800" height="600"></iframe>`);
  });
  const origin = `http://127.0.0.1:${await listen(server)}`;
  return { pageFor: (target) => `${origin}/?target=${encodeURIComponent(target)}`, close: () => close(server) };
}
