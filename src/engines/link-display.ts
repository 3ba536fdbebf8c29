// Link display vs target: the text a reader sees names one site, the link goes to another.

import type { Engine, EngineOutcome, Finding, Link, Target } from '../types.js';
import { hostInfo } from '../url/domain.js';
import { isTrackingHost } from '../url/lists.js';

// Not inside a word or an e-mail address: "write to jo@gmail.com" names an address, not a site.
const DOMAIN_IN_TEXT =
  /(?<![\p{L}\p{N}@._%+-])(?:https?:\/\/)?((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,24})(?=$|[\s/:?#)\]>,;'"!])/iu;

/** The domain a display text names, when it names one (e.g. "www.paypal.com", "https://x.org/login"). */
export function domainInDisplayText(text: string): { shown: string; domain: string } | undefined {
  const m = DOMAIN_IN_TEXT.exec(text.trim());
  if (!m) return undefined;
  const info = hostInfo(m[1]);
  if (!info.domain || !info.knownSuffix) return undefined;
  return { shown: m[1].toLowerCase(), domain: info.domain };
}

function finding(link: Link, f: Omit<Finding, 'engine' | 'targetId'>): Finding {
  return { ...f, engine: 'link-display', targetId: link.id };
}

export const linkDisplayEngine: Engine = {
  name: 'link-display',
  version: '1.0.0',
  kind: 'local',
  targets: ['link'],
  applies: (t: Target) => t.kind === 'link' && Boolean(t.link.displayText) && Boolean(t.link.hostAscii),
  analyse(target: Target): EngineOutcome {
    if (target.kind !== 'link') return { status: 'skipped', findings: [] };
    const link = target.link;
    const text = link.displayText ?? '';
    const shown = domainInDisplayText(text);
    if (!shown || !link.hostAscii) return { status: 'clean', findings: [] };
    const real = hostInfo(link.hostAscii);
    const realDomain = real.domain ?? real.host;
    if (realDomain === shown.domain) return { status: 'clean', findings: [] };
    const tracking = isTrackingHost(link.hostAscii!) || link.wrappers.length > 0;
    const findings = [
      finding(link, {
        code: tracking ? 'link.display_mismatch_tracked' : 'link.display_mismatch',
        severity: tracking ? 'low' : 'high',
        message: tracking
          ? `A link shows "${shown.shown}" but goes through ${realDomain}, a mail or link-tracking service (common in newsletters).`
          : `A link shows "${shown.shown}" but actually goes to ${link.hostUnicode ?? realDomain}.`,
        evidence: {
          displayText: text,
          shownDomain: shown.domain,
          actualHost: link.hostUnicode,
          actualDomain: realDomain,
          url: link.url,
          wrappers: link.wrappers,
        },
      }),
    ];
    return { status: tracking ? 'clean' : 'suspicious', findings };
  },
};
