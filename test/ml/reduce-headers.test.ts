import { describe, expect, it } from 'vitest';
import { NEUTRAL_TO, reduceToSenderHeaders } from '../../src/ml/reduce-headers.js';

const raw = [
  'Received: from mx.example (1.2.3.4)',
  '  by outlook.com; Tue, 19 Sep 2023 18:36:46 +0000',
  'Authentication-Results: spf=pass smtp.mailfrom=example.com',
  'X-MS-Exchange-Organization-SCL: 9',
  'From: "Bank" <alerts@bank.example>',
  'To: phishing@pot',
  'Cc: someone@else.example',
  'Subject: =?utf-8?q?Account_locked?=',
  '  continued',
  'Date: Tue, 19 Sep 2023 18:36:40 +0000',
  'Message-ID: <1@bank.example>',
  'List-Id: <users.lists.example>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Body line 1',
  'Received: this line is body, not header',
  '',
].join('\r\n');

describe('reduceToSenderHeaders', () => {
  const out = Buffer.from(reduceToSenderHeaders(Buffer.from(raw))).toString('latin1');
  const [head, ...rest] = out.split('\r\n\r\n');

  it('keeps only sender-controlled headers, folded lines included', () => {
    expect(head).toContain('From: "Bank" <alerts@bank.example>');
    expect(head).toContain('Subject: =?utf-8?q?Account_locked?=\r\n  continued');
    expect(head).toContain('Message-ID: <1@bank.example>');
    expect(head).toContain('Content-Type: text/plain; charset=utf-8');
    for (const gone of [
      'Received',
      'Authentication-Results',
      'X-MS-Exchange',
      'List-Id',
      'phishing@pot',
      'Cc:',
      'outlook.com',
    ]) {
      expect(head).not.toContain(gone);
    }
  });

  it('puts in one neutral recipient', () => {
    expect(head.split('\r\n').filter((l) => /^to:/i.test(l))).toEqual([NEUTRAL_TO]);
  });

  it('keeps the body byte for byte', () => {
    expect(rest.join('\r\n\r\n')).toBe('Body line 1\r\nReceived: this line is body, not header\r\n');
  });

  it('handles LF-only messages, messages without a body and 8-bit header bytes', () => {
    const lf = Buffer.from('From: a@b.example\nX-Spam: yes\n\nhi\n');
    expect(Buffer.from(reduceToSenderHeaders(lf)).toString()).toBe(
      `From: a@b.example\n${NEUTRAL_TO}\n\nhi\n`,
    );
    const noBody = Buffer.from('From: a@b.example\nReceived: x');
    expect(Buffer.from(reduceToSenderHeaders(noBody)).toString()).toBe(
      `From: a@b.example\n${NEUTRAL_TO}\n\n`,
    );
    const latin = Buffer.from([...Buffer.from('Subject: caf'), 0xe9, ...Buffer.from('\n\nx')]);
    expect(Buffer.from(reduceToSenderHeaders(latin)).includes(0xe9)).toBe(true);
  });
});
