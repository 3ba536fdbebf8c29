// Structural checks on files in the web folders, independent of any signature: server-side script
// that evaluates request input, JScript pages, and .aspx files whose first bytes are a PST or DER
// header (the ProxyShell trick of exporting a mailbox or certificate request as a web page).

export interface HeuristicHit {
  rule: string;
  cve?: string;
  why: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
}

const PAGE_EXT = /\.(aspx|ashx|asmx|asp|asax|ascx|config|cshtml)$/i;
const EVAL_REQUEST = /\beval\s*\(\s*(Request|System\.Text\.Encoding|HttpContext\.Current\.Request)/i;
const JSCRIPT_RUNAT =
  /<script[^>]{0,200}language\s*=\s*["']?jscript[^>]{0,200}runat\s*=\s*["']?server|<script[^>]{0,200}runat\s*=\s*["']?server[^>]{0,200}language\s*=\s*["']?jscript|<%@\s*Page\s+Language\s*=\s*["']?jscript/i;
const PAGE_DIRECTIVE = /Page\s+Language\s*=|runat\s*=\s*["']?server/i;

export function structuralChecks(name: string, head: Buffer, text: string): HeuristicHit[] {
  const hits: HeuristicHit[] = [];
  const isPage = PAGE_EXT.test(name);
  if (EVAL_REQUEST.test(text)) {
    hits.push({
      rule: 'webshell.eval-request',
      why: 'server-side code passes request data to eval(): the core of a China Chopper-style web shell',
      severity: 'critical',
    });
  }
  if (JSCRIPT_RUNAT.test(text)) {
    hits.push({
      rule: 'webshell.jscript-server',
      why: 'a page with server-side JScript: Exchange ships none, and web shells dropped through ProxyLogon use it',
      severity: isPage ? 'high' : 'medium',
    });
  }
  if (/\.aspx$/i.test(name) && head.length >= 4 && head.readUInt32LE(0) === 0x4e444221) {
    hits.push({
      rule: 'webshell.pst-as-aspx',
      cve: 'CVE-2021-31207',
      why: 'an .aspx file that starts with a PST (Outlook data file) header: a mailbox exported as a web page by ProxyShell',
      severity: PAGE_DIRECTIVE.test(text) ? 'critical' : 'high',
    });
  }
  if (/\.aspx$/i.test(name) && head.length >= 2 && head[0] === 0x30 && head[1] === 0x82) {
    hits.push({
      rule: 'webshell.der-as-aspx',
      cve: 'CVE-2021-31207',
      why: 'an .aspx file that starts with a DER certificate-request header: a certificate request exported as a web page by ProxyShell',
      severity: PAGE_DIRECTIVE.test(text) ? 'critical' : 'high',
    });
  }
  return hits;
}
