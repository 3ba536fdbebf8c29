// Blocklist engine: is this link's URL, host or domain on a phishing or malware list in the intel
// store (shipped snapshot plus `suspect intel update` feeds)? Evidence names the list and when the
// entry was first seen. No store or no lists loaded → unknown, never clean.

import { type BlocklistHit, blocklistIndex } from '../intel/blocklist.js';
import { ensureIntel } from '../intel/index.js';
import type { Engine, EngineContext, EngineOutcome, Finding, Link, Target } from '../types.js';

export const BLOCKLIST_ENGINE = 'blocklist';

const LINK_SCHEMES = new Set(['http', 'https', 'ftp']);
/** Wrappers looked up per link; unwrapping is already bounded, this bounds the lookups again. */
const MAX_WRAPPERS_CHECKED = 8;

function when(hit: BlocklistHit): string {
  if (hit.firstSeen) return `first seen ${hit.firstSeen}`;
  const date = hit.dataset.dataDate ?? hit.dataset.loadedAt?.slice(0, 10);
  return date ? `listed as of ${date}` : 'date unknown';
}

function describe(hit: BlocklistHit, link: Link): string {
  const list = hit.dataset.title;
  const kind = hit.dataset.threat === 'malware' ? 'malware' : 'phishing';
  const host = link.hostUnicode ?? link.hostAscii ?? hit.listed;
  switch (hit.match) {
    case 'exact':
      return `This exact link is on a known ${kind} list (${list}, ${when(hit)}).`;
    case 'prefix':
      return `This link is inside a web folder on a known ${kind} list: ${hit.listed} (${list}, ${when(hit)}).`;
    case 'host':
      return `The site ${host} is on a known ${kind} list (${list}, ${when(hit)}).`;
    default:
      return `The site ${host} belongs to ${hit.listed}, which is on a known ${kind} list (${list}, ${when(hit)}).`;
  }
}

function toFinding(hit: BlocklistHit, link: Link): Finding {
  const evidence: Record<string, unknown> = {
    list: hit.dataset.title,
    dataset: hit.dataset.name,
    source: hit.dataset.source,
    origin: hit.dataset.origin,
    match: hit.match,
    listed: hit.listed,
    url: link.url,
  };
  if (hit.firstSeen) evidence.firstSeen = hit.firstSeen;
  if (hit.dataset.dataDate) evidence.listDate = hit.dataset.dataDate;
  if (hit.dataset.threat) evidence.threat = hit.dataset.threat;
  if (hit.target) evidence.targetBrand = hit.target;
  return {
    code: hit.code,
    engine: BLOCKLIST_ENGINE,
    targetId: link.id,
    severity: hit.match === 'parent' ? 'high' : 'critical',
    strength: hit.match === 'parent' ? 0.8 : 1,
    message: describe(hit, link),
    evidence,
  };
}

export const blocklistEngine: Engine = {
  name: BLOCKLIST_ENGINE,
  version: '1.0.0',
  kind: 'local',
  targets: ['link'],
  dataVersion(ctx: EngineContext) {
    if (!ctx.db) return undefined;
    try {
      const load = ensureIntel(ctx.db);
      // From the index's copy of the dataset rows (re-read after `intel update`): this runs per message.
      const feeds = blocklistIndex(ctx.db)
        .listNames()
        .filter((d) => d.origin === 'feed' && d.loadedAt)
        .map((d) => `${d.name}@${d.loadedAt}`);
      return [`snapshot ${load.version}`, ...feeds].join(', ');
    } catch {
      return undefined;
    }
  },
  applies: (t: Target) => t.kind === 'link' && LINK_SCHEMES.has(t.link.scheme) && Boolean(t.link.hostAscii),
  analyse(target: Target, ctx: EngineContext): EngineOutcome {
    if (target.kind !== 'link') return { status: 'skipped', findings: [] };
    if (!ctx.db)
      return { status: 'unknown', findings: [], note: 'no intel store open, so no blocklist was consulted' };
    ensureIntel(ctx.db);
    const index = blocklistIndex(ctx.db);
    if (!index.loaded()) return { status: 'unknown', findings: [], note: 'no blocklist is loaded' };
    const link = target.link;
    const findings = index.lookup(link.url).map((h) => toFinding(h, link));
    // The redirectors a link was wrapped in count too: a listed open redirect still sends you there.
    for (const w of link.wrappers.slice(0, MAX_WRAPPERS_CHECKED)) {
      for (const h of index.lookup(w.url)) {
        const f = toFinding(h, link);
        f.evidence.via = { wrapper: w.kind, url: w.url };
        f.message = `${f.message.replace(/\.$/, '')} — the link passes through it (${w.kind}).`;
        if (!findings.some((x) => x.code === f.code && x.evidence.dataset === f.evidence.dataset))
          findings.push(f);
      }
    }
    if (!findings.length)
      return { status: 'clean', findings: [], note: `not on ${index.listNames().length} lists` };
    return { status: 'malicious', findings };
  },
};
