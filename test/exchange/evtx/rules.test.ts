import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvtxEvents } from '../../../src/exchange/evtx/reader.js';
import { scanExchange } from '../../../src/exchange/scan/index.js';
import { writeEvtx } from '../../fixtures/exchange/evtx-writer.js';

const UM = 'MSExchange Unified Messaging';
const MGMT = 'MSExchange CmdletLogs';
const INVALID_CAST =
  'An unhandled exception occurred: System.InvalidCastException: Unable to cast object of type';

function applicationLog(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'exch-evtx-'));
  const file = path.join(dir, 'Application.evtx');
  writeFileSync(
    file,
    writeEvtx([
      { provider: UM, eventId: 1001, level: 2, time: '2021-03-02T10:00:00Z', data: INVALID_CAST }, // hit
      {
        provider: UM,
        eventId: 1001,
        level: 2,
        time: '2021-03-02T10:01:00Z',
        data: 'The Unified Messaging service failed: timeout',
      },
      { provider: UM, eventId: 1400, level: 4, time: '2021-03-02T10:02:00Z', data: INVALID_CAST }, // info level
      {
        provider: 'MSExchange OWA',
        eventId: 1001,
        level: 2,
        time: '2021-03-02T10:03:00Z',
        data: INVALID_CAST,
      },
      {
        provider: MGMT,
        eventId: 1,
        level: 4,
        time: '2021-08-10T09:00:00Z',
        data: "New-MailboxExportRequest -Mailbox admin@example.test -FilePath '\\\\127.0.0.1\\c$\\inetpub\\wwwroot\\aspnet_client\\a.aspx'",
      }, // hit
      {
        provider: MGMT,
        eventId: 1,
        level: 4,
        time: '2021-08-10T09:01:00Z',
        data: "New-MailboxExportRequest -Mailbox alice@example.test -FilePath '\\\\fs01\\pst\\alice.pst'",
      },
      {
        provider: MGMT,
        eventId: 1,
        level: 4,
        time: '2021-08-10T09:02:00Z',
        data: 'Set-OabVirtualDirectory -ExternalUrl \'http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["x"],"unsafe");}</script>\'',
      }, // hit
      {
        provider: MGMT,
        eventId: 1,
        level: 4,
        time: '2021-08-10T09:03:00Z',
        data: "Set-OabVirtualDirectory -ExternalUrl 'https://mail.example.test/OAB'",
      },
      {
        provider: MGMT,
        eventId: 1,
        level: 4,
        time: '2021-08-10T09:04:00Z',
        data: 'Remove-MailboxExportRequest -Identity admin\\MailboxExport -Confirm:$false',
      }, // medium
      {
        provider: MGMT,
        eventId: 1,
        level: 4,
        time: '2021-08-10T09:05:00Z',
        data: "New-ExchangeCertificate -GenerateRequest -BinaryEncoded -RequestFile '\\\\127.0.0.1\\c$\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\x.aspx'",
      }, // hit
      {
        provider: MGMT,
        eventId: 1,
        level: 4,
        time: '2021-08-10T09:06:00Z',
        data: "New-ExchangeCertificate -GenerateRequest -RequestFile 'C:\\certs\\mail.req'",
      },
      {
        provider: MGMT,
        eventId: 1,
        level: 4,
        time: '2021-08-10T09:07:00Z',
        data: "Install-TransportAgent -Name 'Agent' -TransportAgentFactory X -AssemblyPath C:\\x.dll",
      }, // hit
      {
        provider: 'Microsoft-Windows-Security-Auditing',
        eventId: 4688,
        level: 0,
        time: '2021-03-03T07:00:00Z',
        data: "cmd.exe /c cd /d C:\\inetpub\\wwwroot\\aspnet_client&del 'x.aspx'&echo [S]&cd&echo [E]",
      }, // hit
      {
        provider: 'Microsoft-Windows-Security-Auditing',
        eventId: 4688,
        level: 0,
        time: '2021-03-03T07:01:00Z',
        data: 'cmd.exe /c cd /d C:\\Windows\\Temp&del x.tmp',
      },
    ]),
  );
  return dir;
}

describe('EVTX rules on a written Application log', () => {
  it('the writer produces a file the reader decodes exactly (template defined once, then referenced)', async () => {
    const dir = applicationLog();
    const evs = [];
    const problems: string[] = [];
    for await (const e of readEvtxEvents(path.join(dir, 'Application.evtx'), {
      onProblem: (p) => problems.push(p),
    }))
      evs.push(e);
    expect(problems).toEqual([]);
    expect(evs).toHaveLength(14);
    expect(evs[0]).toMatchObject({
      provider: UM,
      eventId: 1001,
      level: 2,
      channel: 'Application',
      timeCreated: '2021-03-02T10:00:00.0000000Z',
    });
    expect(evs[0].data.map((d) => d.value)).toEqual([INVALID_CAST]);
    expect(evs[7].recordId).toBe(8);
  });

  it('finds the UM InvalidCastException (CVE-2021-26857) and management-log traces, not the look-alikes', async () => {
    const dir = applicationLog();
    const r = await scanExchange(dir);
    expect(r.hits.map((h) => [h.rule, h.line, h.cve])).toEqual([
      ['proxylogon.um-invalidcast', 1, 'CVE-2021-26857'],
      ['proxyshell.mailbox-export-aspx', 5, 'CVE-2021-31207'],
      ['proxylogon.evtx-oab-vdir-script', 7, 'CVE-2021-27065'],
      ['proxyshell.remove-export-request', 9, undefined],
      ['proxyshell.certificate-request-aspx', 10, 'CVE-2021-31207'],
      ['exchange.transport-agent-install', 12, undefined],
      ['hafnium.cleanup-command', 13, undefined],
    ]);
    expect(r.coverage).toEqual([
      {
        folder: '.',
        kind: 'evtx',
        files: 1,
        bytes: 4096 + 65536,
        firstSeen: '2021-03-02T10:00:00.0000000Z',
        lastSeen: '2021-08-10T09:07:00.0000000Z',
        days: 161,
      },
    ]);
  });
});

const samples = path.resolve(import.meta.dirname, '../../../../shared/exchange/evtx');
describe.skipIf(!existsSync(samples))('EVTX rules on public samples', () => {
  it('flags w3wp.exe starting shells (Sysmon 1), and nothing in the logon-only samples', async () => {
    const r = await scanExchange(samples);
    const byFile = (f: string) => r.hits.filter((h) => h.file === f).map((h) => h.line);
    expect(byFile('LM_typical_IIS_webshell_sysmon_1_10_traces.evtx')).toEqual([1]);
    expect(byFile('exec_sysmon_webshell_w3wp_enum.evtx')).toEqual([1, 3, 9]);
    expect(byFile('privexchange_dirkjan.evtx')).toEqual([]);
    expect(r.hits.every((h) => h.rule === 'webshell.w3wp-child-process')).toBe(true);
  });
});
