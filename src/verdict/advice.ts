// What to do now, in plain words, from the verdict and the kinds of findings.

import type { Finding, VerdictLevel } from '../types.js';

export function adviceFor(level: VerdictLevel, findings: Finding[]): string[] {
  const has = (prefix: string) => findings.some((f) => f.code.startsWith(prefix) && f.severity !== 'info');
  if (level === 'safe') {
    return [
      'Nothing in this message points to a scam. Stay careful all the same: if it asks for money, passwords or bank details, confirm by another channel.',
    ];
  }
  const out: string[] = [];
  if (level === 'dangerous') out.push('Do not click any link, open any attachment or reply to this message.');
  else
    out.push(
      'Treat this message with care: do not click its links or open its attachments until you have confirmed it is genuine.',
    );
  if (has('attachment.'))
    out.push(
      'Do not open the attachment. If you already did, disconnect the computer from the network and ask for IT help.',
    );
  if (has('sender.') || has('auth.') || has('spear.'))
    out.push(
      'If it claims to come from someone you know, contact them by phone or a known address — not by replying.',
    );
  if (findings.some((f) => /bank|payment|money|gift/.test(f.code)))
    out.push(
      'Never change bank details or pay on the strength of an email alone; call the person on a number you already have.',
    );
  if (has('link.') || has('blocklist.') || has('lookalike.') || has('url_model.'))
    out.push(
      'If you entered a password after clicking a link, change it now and turn on two-step verification.',
    );
  out.push('Report it as phishing in your mail program, then delete it.');
  return out;
}
