import { describe, expect, it } from 'vitest';
import { trustedClientIp } from '../../src/sender/received.js';
import { crlf, messageOf } from './helpers.js';

const hops = (lines: string[]) => messageOf(crlf([...lines, 'From: a@b.example', '', 'x', '']));

describe('trustedClientIp', () => {
  it('takes the edge hop of the trusted block, not the forged hops below it', async () => {
    const m = await hops([
      'Received: from internal.mx.example (10.0.0.5) by store.mx.example; Mon, 2 Jun 2025 10:00:02 +0000',
      'Received: from mail.sender.example (mail.sender.example [198.51.100.7]) by edge.mx.example; Mon, 2 Jun 2025 10:00:01 +0000',
      'Received: from forged.example (forged.example [192.0.2.99]) by mail.sender.example; Mon, 2 Jun 2025 10:00:00 +0000',
    ]);
    expect(trustedClientIp(m, ['mx.example'])).toEqual({
      ip: '198.51.100.7',
      helo: 'mail.sender.example',
      receivedBy: 'edge.mx.example',
      hopPosition: 1,
    });
  });

  it('ignores a HELO that claims to be the trusted server', async () => {
    const m = await hops([
      'Received: from edge.mx.example (evil [203.0.113.9]) by edge.mx.example; Mon, 2 Jun 2025 10:00:01 +0000',
    ]);
    expect(trustedClientIp(m, ['mx.example'])?.ip).toBe('203.0.113.9');
  });

  it('finds nothing without a trusted server, or when only private addresses are named', async () => {
    const m = await hops([
      'Received: from x (x [10.1.2.3]) by edge.mx.example; Mon, 2 Jun 2025 10:00:01 +0000',
    ]);
    expect(trustedClientIp(m, ['mx.example'])).toBeUndefined();
    expect(trustedClientIp(m, [])).toBeUndefined();
    expect(trustedClientIp(m, ['other.example'])).toBeUndefined();
  });
});
