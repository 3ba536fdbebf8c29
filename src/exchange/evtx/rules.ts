// Event-log rules. CVE-2021-26857 as Test-ProxyLogon.ps1 checks it (Application log, provider
// 'MSExchange Unified Messaging', Level 2, message containing System.InvalidCastException; without the
// provider's message DLL the event's inserted strings stand in for the message). The MSExchange
// Management cmdlet rules follow SigmaHQ rules/windows/builtin/msexchange (ProxyLogon OAB virtual
// directory, ProxyShell mailbox export / certificate request, transport agent). Web shell process
// starts follow the Sysmon/4688 pattern of IIS's w3wp.exe starting a shell.

import type { ScanHit } from '../types.js';
import type { EvtxEvent } from './reader.js';

type PartialHit = Omit<ScanHit, 'file'>;

/** Longest event text kept in an excerpt. */
const MAX_EVENT_EXCERPT = 400;

function allText(ev: EvtxEvent): string {
  return ev.data.map((d) => d.value).join(' | ');
}

function dataValue(ev: EvtxEvent, name: string): string | undefined {
  return ev.data.find((d) => d.name === name)?.value;
}

/** Clean-up command fragments from signature-base LOG_Exchange_Forensic_Artefacts_CleanUp_Activity_Mar21_1. */
const CLEANUP_X = /cmd\.exe \/c cd \/d C:[/\\]inetpub[/\\]wwwroot[/\\]aspnet_client/i;
const CLEANUP_STEPS = ["aspnet_client&del '", 'aspnet_client&attrib +h +s +r ', '&echo [S]'];

const SHELLS =
  /\\(cmd|powershell|pwsh|cscript|wscript|mshta|rundll32|certutil|bitsadmin|net1?|whoami|nltest|reg|schtasks|procdump(64)?)\.exe$/i;

export function matchEvent(ev: EvtxEvent): PartialHit[] {
  const hits: PartialHit[] = [];
  const text = allText(ev);
  const base = {
    line: ev.recordId,
    timestamp: ev.timeCreated,
    excerpt: text.length > MAX_EVENT_EXCERPT ? text.slice(0, MAX_EVENT_EXCERPT) + '…' : text,
  };
  const provider = ev.provider ?? '';
  if (
    /^MSExchange Unified Messaging$/i.test(provider) &&
    ev.level === 2 &&
    /System\.InvalidCastException/i.test(text)
  ) {
    hits.push({
      rule: 'proxylogon.um-invalidcast',
      cve: 'CVE-2021-26857',
      ...base,
      why: `Unified Messaging error event ${ev.eventId} with System.InvalidCastException: the crash the CVE-2021-26857 deserialization exploit leaves (Test-ProxyLogon's check)`,
      severity: 'high',
    });
  }
  if (
    /Set-OabVirtualDirectory/i.test(text) &&
    /ExternalUrl|InternalUrl/i.test(text) &&
    /<script|Page_Load|runat=/i.test(text)
  ) {
    hits.push({
      rule: 'proxylogon.evtx-oab-vdir-script',
      cve: 'CVE-2021-27065',
      ...base,
      why: 'Set-OabVirtualDirectory with script in a URL in the Exchange management log: the CVE-2021-27065 web shell drop (Sigma "ProxyLogon MSExchange OabVirtualDirectory")',
      severity: 'critical',
    });
  }
  if (/New-MailboxExportRequest/i.test(text) && /\.aspx?\b|\\inetpub\\|\\FrontEnd\\HttpProxy\\/i.test(text)) {
    hits.push({
      rule: 'proxyshell.mailbox-export-aspx',
      cve: 'CVE-2021-31207',
      ...base,
      why: 'New-MailboxExportRequest writing a mailbox to a web folder or .aspx file: how ProxyShell (CVE-2021-31207) drops a web shell (Sigma "Mailbox Export to Exchange Webserver")',
      severity: 'critical',
    });
  } else if (/Remove-MailboxExportRequest/i.test(text)) {
    hits.push({
      rule: 'proxyshell.remove-export-request',
      ...base,
      why: 'Remove-MailboxExportRequest: removing export requests is a ProxyShell clean-up step (Sigma "Remove Exported Mailbox from Exchange Webserver"); check who ran it',
      severity: 'medium',
    });
  }
  if (
    /New-ExchangeCertificate/i.test(text) &&
    /-?RequestFile/i.test(text) &&
    /\.aspx?\b|\\inetpub\\|\\FrontEnd\\HttpProxy\\/i.test(text)
  ) {
    hits.push({
      rule: 'proxyshell.certificate-request-aspx',
      cve: 'CVE-2021-31207',
      ...base,
      why: 'New-ExchangeCertificate writing its request file into a web folder: a ProxyShell web shell drop (Sigma "Certificate Request Export to Exchange Webserver")',
      severity: 'critical',
    });
  }
  if (/Install-TransportAgent/i.test(text)) {
    hits.push({
      rule: 'exchange.transport-agent-install',
      ...base,
      why: 'Install-TransportAgent: a new transport agent sees all mail; attackers use one for persistence (Sigma "MSExchange Transport Agent Installation")',
      severity: 'medium',
    });
  }
  if (CLEANUP_X.test(text) || CLEANUP_STEPS.filter((s) => text.includes(s)).length >= 2) {
    hits.push({
      rule: 'hafnium.cleanup-command',
      ...base,
      why: 'a command that deletes or hides files in aspnet_client: HAFNIUM clean-up after a web shell (signature-base LOG_Exchange_Forensic_Artefacts_CleanUp_Activity_Mar21_1)',
      severity: 'high',
    });
  }
  if (
    (ev.eventId === 1 && /sysmon/i.test(provider)) ||
    (ev.eventId === 4688 && /Security-Auditing/i.test(provider))
  ) {
    const parent = dataValue(ev, 'ParentImage') ?? dataValue(ev, 'ParentProcessName') ?? '';
    const image = dataValue(ev, 'Image') ?? dataValue(ev, 'NewProcessName') ?? '';
    if (/\\w3wp\.exe$/i.test(parent) && SHELLS.test(image)) {
      const cmd = dataValue(ev, 'CommandLine') ?? image;
      hits.push({
        rule: 'webshell.w3wp-child-process',
        ...base,
        why: `the IIS worker process (w3wp.exe) started ${image.split('\\').pop()} ("${cmd}"): a web shell running commands`,
        severity: 'critical',
      });
    }
  }
  return hits;
}
