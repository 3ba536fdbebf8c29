import { describe, expect, it } from 'vitest';
import { parseReceived } from '../../src/message/received.js';

describe('parseReceived', () => {
  it('takes from, by, the connecting IP and the date', () => {
    const hop = parseReceived(
      'from mail.sender.example (mail.sender.example [198.51.100.7])\r\n by mx.receiver.example (Postfix) with ESMTPS id 123; Tue, 2 Mar 2021 10:00:00 +0000',
      0,
    );
    expect(hop.from).toBe('mail.sender.example');
    expect(hop.by).toBe('mx.receiver.example');
    expect(hop.ip).toBe('198.51.100.7');
    expect(hop.date).toBe('Tue, 2 Mar 2021 10:00:00 +0000');
  });

  it('reads IPv6 literals and ignores IPs after "by"', () => {
    expect(parseReceived('from x ([IPv6:2001:db8::1]) by y', 1).ip).toBe('2001:db8::1');
    expect(parseReceived('from x by y.example (10.0.0.1)', 1).ip).toBeUndefined();
  });
});
