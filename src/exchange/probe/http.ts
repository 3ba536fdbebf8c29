// Minimal HTTP GET for the version probe: one request, no redirects followed, a hard deadline and a
// body cap, and errors that say in plain words why a server could not be reached.

import http from 'node:http';
import https from 'node:https';
import { VERSION } from '../../version.js';

/** A server that never answers must not hang the CLI. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** A hostile or broken server could stream forever; the pages we read are a few tens of KB. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpResponse {
  url: string;
  status: number;
  /** Header names lower-cased (Node does this). */
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body was cut at maxBytes. */
  truncated: boolean;
}

export interface HttpGetOptions {
  timeoutMs?: number;
  maxBytes?: number;
  /** Accept self-signed or otherwise untrusted certificates (nothing secret is sent). */
  insecure?: boolean;
  signal?: AbortSignal;
}

export type HttpGet = (url: string, opts?: HttpGetOptions) => Promise<HttpResponse>;

export type HttpErrorKind = 'timeout' | 'refused' | 'dns' | 'tls' | 'network' | 'aborted';

export class ProbeHttpError extends Error {
  override name = 'ProbeHttpError';
  constructor(
    message: string,
    readonly kind: HttpErrorKind,
    readonly url: string,
  ) {
    super(message);
  }
}

const TLS_CODES =
  /^(ERR_TLS|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT|UNABLE_TO_(GET|VERIFY)|ERR_SSL)/;

function explain(err: NodeJS.ErrnoException, url: URL, timeoutMs: number): ProbeHttpError {
  const where = url.host;
  const code = err.code ?? '';
  if (code === 'ETIMEDOUT_PROBE') {
    return new ProbeHttpError(`${where} did not answer within ${timeoutMs / 1000} s`, 'timeout', url.href);
  }
  if (code === 'ABORT_ERR') return new ProbeHttpError('probe cancelled', 'aborted', url.href);
  if (code === 'ECONNREFUSED') {
    return new ProbeHttpError(
      `${where} refused the connection (nothing listens on that port)`,
      'refused',
      url.href,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ProbeHttpError(`the host name ${url.hostname} could not be resolved`, 'dns', url.href);
  }
  if (TLS_CODES.test(code)) {
    return new ProbeHttpError(
      `${where}: the TLS certificate is not trusted (${code}). If this is your own server with a self-signed ` +
        'certificate, re-run with --insecure (the probe sends no password or other secret).',
      'tls',
      url.href,
    );
  }
  return new ProbeHttpError(`${where}: ${err.message || code || 'network error'}`, 'network', url.href);
}

/** GET one URL. Resolves for any HTTP status; rejects with ProbeHttpError when there is no answer. */
export const httpGet: HttpGet = (target, opts = {}) => {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? MAX_BODY_BYTES;
  const url = new URL(target);
  const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!client)
    return Promise.reject(new ProbeHttpError(`unsupported scheme ${url.protocol}`, 'network', target));
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const req = client.get(url, {
      headers: { 'user-agent': `Suspect/${VERSION} (Exchange version check)`, accept: '*/*' },
      rejectUnauthorized: !opts.insecure,
      // No connection reuse: three short requests, and no socket left open after the CLI finishes.
      agent: false,
    });
    const fail = (err: NodeJS.ErrnoException) => finish(() => reject(explain(err, url, timeoutMs)));
    const timer = setTimeout(() => {
      const e: NodeJS.ErrnoException = new Error('timeout');
      e.code = 'ETIMEDOUT_PROBE';
      fail(e);
      req.destroy();
    }, timeoutMs);
    const onAbort = () => {
      const e: NodeJS.ErrnoException = new Error('aborted');
      e.code = 'ABORT_ERR';
      fail(e);
      req.destroy();
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const done = () =>
        finish(() =>
          resolve({
            url: url.href,
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            truncated,
          }),
        );
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = maxBytes - size;
        if (chunk.length >= room) {
          chunks.push(chunk.subarray(0, room));
          size = maxBytes;
          truncated = true;
          done();
          res.destroy();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', done);
      res.on('error', fail);
      res.on('aborted', () => done());
      res.on('close', () => done());
    });
  });
};
