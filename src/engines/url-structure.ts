// URL structure: the shape of an address alone (IP host, userinfo, deep subdomains, risky TLD, mixed scripts,
// data:/javascript: URIs, shorteners, free hosting, form builders, executable downloads). Never fetches it.

import { isEmbeddedResource } from '../message/links/index.js';
import { scriptsOf } from '../message/scripts.js';
import type { Engine, EngineOutcome, Finding, Link, Severity, Target } from '../types.js';
import { hostInfo, isPrivateIp, sameRegistrableDomain } from '../url/domain.js';
import {
  FORM_SERVICES,
  FREE_HOSTING_SUFFIXES,
  hostMatchesSuffix,
  RISKY_TLDS,
  SHORTENERS,
  urlMatchesEntry,
} from '../url/lists.js';

/** Labels below the registrable domain from which a host counts as deeply nested (login.secure.account.x.com). */
const DEEP_SUBDOMAIN_LABELS = 4;
const LONG_URL = 300;
const RISKY_DOWNLOAD =
  /\.(exe|scr|com|pif|bat|cmd|js|jse|vbs|vbe|hta|wsf|ps1|msi|lnk|iso|img|vhd|vhdx|jar|apk|one|cpl|dll|xll|appx|msix)$/i;
/**
 * True when the address fetches a program or script. Not: a path that ends in a domain name
 * (mailman's listinfo/users_lists.example.com, /redirect/www.site.com: ".com" is also a DOS program's
 * extension), a server program answering a query (eBayISAPI.dll?SignIn), a page's own script (<script src>).
 */
function isProgramDownload(url: URL, link: Link): boolean {
  const m = RISKY_DOWNLOAD.exec(url.pathname);
  if (!m) return false;
  const ext = m[1].toLowerCase();
  const name = safeDecode(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
  if (ext === 'com' && (name.includes('@') || name.indexOf('.') !== name.length - 4)) return false;
  if (ext === 'dll' && url.search !== '') return false;
  if (ext === 'js' && link.source === 'html-other') return false;
  return true;
}
const IP_INTEGER_HOST = /^(0x[0-9a-f]+|\d{8,10})$/i;

/** decodeURIComponent that keeps malformed escapes as they are (hostile links carry them on purpose). */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

type Push = (code: string, severity: Severity, message: string, evidence?: Record<string, unknown>) => void;

/**
 * Host checks. `clickable` is false for images and stylesheets: the checks about where a click leads
 * (deep subdomains, shorteners, free hosting, form services) are skipped for them, as nobody clicks them.
 */
function checkHost(link: Link, url: URL | undefined, clickable: boolean, push: Push): void {
  const host = link.hostAscii;
  if (!host) return;
  const info = hostInfo(host);
  const shownHost = link.hostUnicode ?? host;
  if (info.isIp || IP_INTEGER_HOST.test(host)) {
    // A device on the reader's own network (a router's 192.168.1.1) is not where a scam hosts its page;
    // written as one integer or in hex (http://3232235777/) it is still a disguised address.
    if (isPrivateIp(host) && link.raw.toLowerCase().includes(host)) return;
    push('url.ip_host', 'high', `The link goes to a bare IP address (${host}) instead of a named website.`, {
      host,
    });
    return;
  }
  if (url?.username) {
    push(
      'url.userinfo',
      'high',
      `The link hides its real destination behind "${safeDecode(url.username)}@": it actually goes to ${shownHost}.`,
      {
        userinfo: url.username,
        host,
      },
    );
  }
  const depth = info.subdomain ? info.subdomain.split('.').length : 0;
  if (clickable && depth >= DEEP_SUBDOMAIN_LABELS)
    push(
      'url.deep_subdomains',
      'low',
      `The link's address has ${depth} levels of subdomains (${shownHost}), a trick to push the real domain out of view.`,
      {
        host,
        depth,
      },
    );
  const tld = info.publicSuffix ?? host.split('.').pop() ?? '';
  if (RISKY_TLDS.has(tld))
    push('url.risky_tld', 'low', `The link's domain ends in .${tld}, an ending often used by scam sites.`, {
      host,
      tld,
    });
  if (!info.knownSuffix)
    push(
      'url.unknown_tld',
      'medium',
      `The link's domain ending (.${tld}) does not exist on the public internet.`,
      { host, tld },
    );
  if (host.split('.').some((l) => l.startsWith('xn--'))) {
    const mixed = shownHost.split('.').find((l) => scriptsOf(l).size > 1);
    if (mixed)
      push(
        'url.mixed_scripts',
        'high',
        `The link's address mixes alphabets (${[...scriptsOf(mixed)].join(' and ')}) in "${mixed}", so it can look like a different site.`,
        {
          host,
          unicode: shownHost,
        },
      );
    else
      push(
        'url.punycode',
        'medium',
        `The link's address uses non-Latin characters: it reads "${shownHost}" but is really ${host}.`,
        { host, unicode: shownHost },
      );
  }
  if (clickable && info.domain && SHORTENERS.has(info.domain))
    push(
      'url.shortener',
      'medium',
      `The link goes through the shortener ${info.domain}, which hides where it really leads (Suspect does not follow it).`,
      {
        shortener: info.domain,
      },
    );
  const path = url?.pathname ?? '';
  const hosting = clickable && FREE_HOSTING_SUFFIXES.find((s) => hostMatchesSuffix(host, s));
  if (hosting)
    push(
      'url.free_hosting',
      'medium',
      `The link points to a site on ${hosting}, a free hosting service that anyone can publish on.`,
      { host, service: hosting },
    );
  const form = clickable && FORM_SERVICES.find((s) => urlMatchesEntry(host, path, s));
  if (form)
    push(
      'url.form_service',
      'medium',
      `The link opens a form on ${form}: legitimate companies do not collect passwords or card numbers that way.`,
      { host, service: form },
    );
  if (url?.port && !['80', '443'].includes(url.port))
    push('url.nonstandard_port', 'low', `The link uses an unusual port (${url.port}).`, { port: url.port });
}

export function analyseUrlStructure(link: Link): Finding[] {
  const findings: Finding[] = [];
  const push: Push = (code, severity, message, evidence = {}) =>
    findings.push({
      code,
      severity,
      message,
      engine: 'url-structure',
      targetId: link.id,
      evidence: { url: link.url, ...evidence },
    });
  if (link.scheme === 'data') {
    push(
      'url.data_uri',
      'high',
      'The link is a data: address that carries a whole page inside the message, a way to avoid link scanners.',
    );
    return findings;
  }
  if (link.scheme === 'javascript' || link.scheme === 'vbscript') {
    push('url.script_uri', 'high', `The link runs ${link.scheme} code when clicked.`);
    return findings;
  }
  if (link.scheme === 'file' || link.scheme === 'smb') {
    push(
      'url.file_uri',
      'high',
      `The link opens a ${link.scheme}: address, which can leak your Windows password hash or run a file.`,
    );
    return findings;
  }
  if (link.scheme !== 'http' && link.scheme !== 'https' && link.scheme !== 'ftp') return findings;
  let url: URL | undefined;
  try {
    url = new URL(link.url);
  } catch {
    push('url.unparsable', 'low', 'The link is malformed and could not be read as an address.');
    return findings;
  }
  // What an image or a stylesheet address says about where a click would lead is not evidence.
  const clickable = !isEmbeddedResource(link);
  checkHost(link, url, clickable, push);
  if (isProgramDownload(url, link))
    push(
      'url.executable_download',
      'high',
      `The link downloads a program or script (${url.pathname.split('/').pop()}).`,
      { path: url.pathname },
    );
  if (clickable && link.url.length > LONG_URL)
    push('url.very_long', 'low', `The link is unusually long (${link.url.length} characters).`, {
      length: link.url.length,
    });
  const redirect = link.wrappers.find((w) => w.kind === 'open-redirect');
  // A site sending its own visitors on within itself (accounts.google.com → myaccount.google.com) is
  // not the abuse this names: that is a trusted site's redirect taking the reader somewhere else.
  if (redirect && clickable && !sameRegistrableDomain(redirect.url, link.url))
    push(
      'url.open_redirect',
      'medium',
      `The link passes through ${new URL(redirect.url).hostname} and then redirects to ${link.hostUnicode ?? link.hostAscii}.`,
      {
        via: redirect.url,
      },
    );
  if (link.defanged)
    push(
      'url.defanged',
      'info',
      'The link was written in defanged form (hxxp, [.]) and was restored to be checked.',
      { raw: link.raw },
    );
  return findings;
}

export const urlStructureEngine: Engine = {
  name: 'url-structure',
  version: '1.0.0',
  kind: 'local',
  targets: ['link'],
  analyse(target: Target): EngineOutcome {
    if (target.kind !== 'link') return { status: 'skipped', findings: [] };
    const findings = analyseUrlStructure(target.link);
    const serious = findings.some(
      (f) => f.severity === 'high' || f.severity === 'critical' || f.severity === 'medium',
    );
    return { status: serious ? 'suspicious' : 'clean', findings };
  },
};
