// Standalone HTML remediation report: one file, inline CSS, no scripts and no outside resources.
// Log content is attacker-controlled (URLs, user agents, webshell code), so every value is escaped
// and a Content-Security-Policy forbids scripts should escaping ever be missed.

import type { BuildAssessment } from '../builds/assess.js';
import { describeDays, type RemediationReport } from './model.js';
import { MAX_HITS_SHOWN_PER_RULE } from './text.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const CSS = `
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
.headline{font-size:1.1rem;padding:.75rem 1rem;border-radius:6px;background:#eef4ff}
.bad{background:#fde8e8}.warn{background:#fff4e0}.ok{background:#e8f7ec}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}code,.mono{font-family:ui-monospace,monospace;font-size:.85rem;word-break:break-all}
.sev-critical,.sev-high{color:#a40000;font-weight:600}.sev-medium{color:#8a5a00}.sev-low{color:#555}
ol.steps>li{margin-bottom:1rem}ol.steps>li>strong{font-size:1.05rem}
small{color:#555}`;

function exposureHtml(e: BuildAssessment): string {
  const rows = e.cves
    .filter((c) => c.status !== 'not-applicable')
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.chain)}</td><td class="mono">${escapeHtml(c.id)}</td>` +
        `<td class="sev-${c.severity}">${escapeHtml(c.severity)}</td>` +
        `<td>${c.status === 'open' ? '<strong>OPEN</strong>' : escapeHtml(c.status)}</td>` +
        `<td>${escapeHtml(c.summary)}</td>` +
        `<td class="mono">${c.fix ? escapeHtml(`${c.fix.build} ${c.fix.cu}${c.fix.update ? ` ${c.fix.update}` : ''} ${c.fix.kb ?? ''}`) : ''}</td></tr>`,
    )
    .join('\n');
  const s = e.support;
  return `<p><strong>${escapeHtml(e.product)} ${escapeHtml(e.cu)}</strong>, build <code>${escapeHtml(e.build)}</code>,
 update: ${escapeHtml(e.precision === 'cu' ? 'unknown (only the CU is visible)' : (e.update ?? 'none on top of the CU'))}${e.kb ? ` (${escapeHtml(e.kb)})` : ''}.<br>
 Support: ${s.outOfSupport ? `<strong>out of support since ${escapeHtml(s.endOfSupport)}</strong>` : `supported until ${escapeHtml(s.endOfSupport)}`}.</p>
<table><tr><th>Chain</th><th>CVE</th><th>Severity</th><th>Status</th><th>What it allows</th><th>Fixed by</th></tr>
${rows}</table>
${e.notes.length ? `<ul>${e.notes.map((n) => `<li><small>${escapeHtml(n)}</small></li>`).join('')}</ul>` : ''}`;
}

function evidenceHtml(r: RemediationReport): string {
  if (r.evidence.length === 0) {
    const days = r.window ? describeDays(r.window) : undefined;
    return `<p>${escapeHtml(days ? `Nothing found in the ${days} these logs cover.` : 'Nothing found in the scanned files.')}</p>`;
  }
  return r.evidence
    .map((g) => {
      const rows = g.hits
        .slice(0, MAX_HITS_SHOWN_PER_RULE)
        .map(
          (h) =>
            `<tr><td class="mono">${escapeHtml(h.file)}${h.line ? `:${h.line}` : ''}</td>` +
            `<td>${escapeHtml(h.timestamp ?? '')}</td><td class="mono">${escapeHtml(h.clientIp ?? '')}</td>` +
            `<td>${escapeHtml(h.why)}${h.excerpt ? `<br><code>${escapeHtml(h.excerpt)}</code>` : ''}</td></tr>`,
        )
        .join('\n');
      const more =
        g.hits.length > MAX_HITS_SHOWN_PER_RULE
          ? `<p><small>…and ${g.hits.length - MAX_HITS_SHOWN_PER_RULE} more (see the JSON output).</small></p>`
          : '';
      return `<h3><span class="sev-${g.severity}">${escapeHtml(g.cve ?? g.rule)}</span> <small>rule ${escapeHtml(g.rule)}, ${g.count} hit${g.count === 1 ? '' : 's'}</small></h3>
<table><tr><th>Where</th><th>When</th><th>Client IP</th><th>Why it matched</th></tr>
${rows}</table>${more}`;
    })
    .join('\n');
}

function coverageHtml(r: RemediationReport): string {
  if (!r.window) return '';
  const rows = r.window.folders
    .map(
      (c) =>
        `<tr><td class="mono">${escapeHtml(c.folder)}</td><td>${escapeHtml(c.kind)}</td><td>${c.files}</td>` +
        `<td>${escapeHtml(c.firstSeen?.slice(0, 10) ?? '')}</td><td>${escapeHtml(c.lastSeen?.slice(0, 10) ?? '')}</td>` +
        `<td>${c.days !== undefined ? Math.round(c.days) : ''}</td></tr>`,
    )
    .join('\n');
  const missing = r.window.missing.map((m) => `<li>${escapeHtml(m.meaning)}</li>`).join('');
  return `<h2>How far back the logs go</h2>
<table><tr><th>Folder</th><th>Kind</th><th>Files</th><th>From</th><th>To</th><th>Days</th></tr>
${rows}</table>
${missing ? `<p>Not in the scanned copy, so not checked:</p><ul>${missing}</ul>` : ''}
${r.problems.length ? `<p>Could not read completely:</p><ul>${r.problems.map((p) => `<li><code>${escapeHtml(p.file)}</code>: ${escapeHtml(p.problem)}</li>`).join('')}</ul>` : ''}`;
}

export function renderReportHtml(r: RemediationReport): string {
  const tone =
    r.compromise === 'traces-found' || r.exposure?.exposed
      ? 'bad'
      : r.compromise === 'worth-checking'
        ? 'warn'
        : 'ok';
  const steps = r.steps.length
    ? `<ol class="steps">${r.steps
        .map(
          (s) =>
            `<li><strong>${escapeHtml(s.title)}</strong><ul>${s.details.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul></li>`,
        )
        .join('\n')}</ol>`
    : '<p>Nothing to do now. Keep installing each security update when it comes out.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Exchange server check — Suspect</title><style>${CSS}</style></head>
<body>
<h1>Exchange server check</h1>
<p class="headline ${tone}">${escapeHtml(r.headline)}</p>
${r.context.map((c) => `<p><small>${escapeHtml(c)}</small></p>`).join('\n')}
<h2>What to do, in order</h2>
${steps}
${r.exposure ? `<h2>Exposure</h2>\n${exposureHtml(r.exposure)}` : ''}
${r.compromise !== 'not-scanned' ? `<h2>Evidence</h2>\n${evidenceHtml(r)}\n${coverageHtml(r)}` : ''}
<p><small>Generated ${escapeHtml(r.generatedAt)} by Suspect${r.scanned ? ` from ${escapeHtml(r.scanned.files)} files (${escapeHtml(r.scanned.bytes)} bytes) under <code>${escapeHtml(r.scanned.root)}</code>` : ''}.</small></p>
</body></html>
`;
}
