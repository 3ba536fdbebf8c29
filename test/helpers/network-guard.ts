// Records (and blocks) every way the process could reach the network: sockets, TLS, HTTP, fetch, DNS, UDP.
// Used to prove that analysing a message never contacts anything (DESIGN.md: never visit a link).

import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';

export interface NetworkAttempt {
  api: string;
  target: string;
}

type Restore = () => void;

export function guardNetwork(): { attempts: NetworkAttempt[]; restore: Restore } {
  const attempts: NetworkAttempt[] = [];
  const restores: Restore[] = [];
  const block = (api: string, target: unknown) => {
    attempts.push({
      api,
      target: typeof target === 'string' ? target : (JSON.stringify(target)?.slice(0, 200) ?? String(target)),
    });
    return new Error(`network access blocked in test: ${api}`);
  };
  const patch = <T extends object>(obj: T, key: keyof T, replacement: unknown) => {
    const original = obj[key];
    (obj as Record<keyof T, unknown>)[key] = replacement;
    restores.push(() => {
      (obj as Record<keyof T, unknown>)[key] = original;
    });
  };

  patch(net.Socket.prototype, 'connect', function (this: net.Socket, ...args: unknown[]) {
    throw block('net.Socket.connect', args[0]);
  });
  patch(net, 'connect', (...args: unknown[]) => {
    throw block('net.connect', args[0]);
  });
  patch(net, 'createConnection', (...args: unknown[]) => {
    throw block('net.createConnection', args[0]);
  });
  patch(tls, 'connect', (...args: unknown[]) => {
    throw block('tls.connect', args[0]);
  });
  for (const mod of [http, https] as const) {
    patch(mod, 'request', (...args: unknown[]) => {
      throw block(`${mod === http ? 'http' : 'https'}.request`, args[0]);
    });
    patch(mod, 'get', (...args: unknown[]) => {
      throw block(`${mod === http ? 'http' : 'https'}.get`, args[0]);
    });
  }
  patch(globalThis, 'fetch', async (input: unknown) => {
    throw block('fetch', String(input));
  });
  for (const fn of [
    'lookup',
    'resolve',
    'resolve4',
    'resolve6',
    'resolveMx',
    'resolveTxt',
    'resolveAny',
    'resolveNs',
    'resolveCname',
    'reverse',
  ] as const) {
    patch(dns, fn, (...args: unknown[]) => {
      throw block(`dns.${fn}`, args[0]);
    });
    patch(dns.promises, fn, async (...args: unknown[]) => {
      throw block(`dns.promises.${fn}`, args[0]);
    });
  }
  patch(dns.Resolver.prototype, 'resolve', (...args: unknown[]) => {
    throw block('dns.Resolver.resolve', args[0]);
  });
  patch(dns.promises.Resolver.prototype, 'resolve', async (...args: unknown[]) => {
    throw block('dns.promises.Resolver.resolve', args[0]);
  });
  patch(dgram, 'createSocket', (...args: unknown[]) => {
    throw block('dgram.createSocket', args[0]);
  });
  // Named ESM imports of builtins (import { lookup } from 'node:dns') see the patches only after a sync.
  syncBuiltinESMExports();
  return {
    attempts,
    restore: () => {
      for (const r of restores.reverse()) r();
      syncBuiltinESMExports();
    },
  };
}
