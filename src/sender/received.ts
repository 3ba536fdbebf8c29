// Finds the connecting client of a message from the Received header that a trusted server wrote.
// Received headers below the trusted server's are written by the sender's side and may be forged,
// so only the lowest hop of the contiguous block written by trusted servers is believed.

import type { Message, ReceivedHop } from '../types.js';
import { isPrivateIp } from '../url/domain.js';
import { sameOrgHost } from './domains.js';
import type { ClientIpOrigin } from './types.js';

/** True when `by` was written by one of the trusted authserv-ids' servers. */
export function isTrustedHost(host: string | undefined, trusted: readonly string[]): boolean {
  if (!host) return false;
  return trusted.some((id) => sameOrgHost(host, id));
}

/**
 * The client IP the trusted edge server saw: walk down from the first trusted hop while hops are
 * written by trusted servers; the lowest of them with a public IP is where the mail entered. The
 * HELO name in `from` is the client's claim, so it is not used to decide which hop is the edge.
 */
export function trustedClientIp(message: Message, trusted: readonly string[]): ClientIpOrigin | undefined {
  if (!trusted.length) return undefined;
  const hops = [...message.received].sort((a, b) => a.position - b.position);
  const start = hops.findIndex((h) => isTrustedHost(h.by, trusted));
  if (start < 0) return undefined;
  let edge: ReceivedHop | undefined;
  for (let i = start; i < hops.length && isTrustedHost(hops[i].by, trusted); i++) {
    const hop = hops[i];
    if (hop.ip && !isPrivateIp(hop.ip)) edge = hop;
  }
  if (!edge?.ip) return undefined;
  return {
    ip: edge.ip.replace(/^IPv6:/i, ''),
    helo: edge.from,
    receivedBy: edge.by ?? '',
    hopPosition: edge.position,
  };
}
