import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanExchange } from '../../../src/exchange/scan/index.js';
import { loadIocs, parseMsticCsv, pathTail } from '../../../src/exchange/webshell/iocs.js';
import { matchRule, parseYara, YaraTarget } from '../../../src/exchange/webshell/yara.js';

function one(src: string) {
  const { rules, errors } = parseYara(src);
  expect(errors).toEqual([]);
  return (data: string | Buffer) =>
    matchRule(rules[0], new YaraTarget(Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1')));
}

describe('YARA subset', () => {
  it('text strings with nocase, wide and fullword', () => {
    const m = one(
      'rule a { strings: $a = "Page Language=" nocase wide ascii $b = "eval" fullword condition: $a and $b }',
    );
    expect(m('<%@ page language="x" %> eval(')).toBe(true);
    expect(m('<%@ page language="x" %> evaluate(')).toBe(false);
    expect(
      m(
        Buffer.concat([
          Buffer.from('P\0a\0g\0e\0 \0L\0a\0n\0g\0u\0a\0g\0e\0=\0', 'latin1'),
          Buffer.from(' eval '),
        ]),
      ),
    ).toBe(true);
  });
  it('hex strings with wildcards, jumps and alternatives', () => {
    const m = one('rule h { strings: $h = { 65 76 ?? 6C [1-3] 28 (52|53) } condition: $h }');
    expect(m('eval--(R')).toBe(true);
    expect(m('eval----(R')).toBe(false);
    expect(m('evXl-(S')).toBe(true);
  });
  it('regex strings with YARA {,n} quantifiers', () => {
    const m = one('rule r { strings: $r = /eval\\(Request\\.Item\\[.{,5}unsafe/ condition: $r }');
    expect(m('eval(Request.Item["a"],"unsafe")')).toBe(false);
    expect(m('eval(Request.Item[1,unsafe')).toBe(true);
  });
  it('uint, filesize with units, at, in, count and N of', () => {
    const m = one(
      'rule c { strings: $x = "!BDN" $a = "aa" $b = "bb" $c = "cc" condition: uint32(0) == 0x4e444221 and filesize < 1KB and $x at 0 and $a in (0..10) and #b >= 2 and 2 of ($a, $c, $b) and not any of ($c*) }',
    );
    expect(m('!BDNaa bb bb')).toBe(true);
    expect(m('!BDNaa bb bb cc')).toBe(false);
    expect(m('!BDN          aa bb bb')).toBe(false);
    expect(m(`!BDNaa bb bb${' '.repeat(1024)}`)).toBe(false);
  });
  it('reports unsupported syntax instead of guessing', () => {
    const r = parseYara('rule bad { condition: pe.is_dll() } rule good { condition: true }');
    expect(r.rules.map((x) => x.name)).toEqual(['good']);
    expect(r.errors[0].rule).toBe('bad');
  });
  it('every shipped signature-base rule compiles', () => {
    const iocs = loadIocs();
    expect(iocs.yaraErrors).toEqual([]);
    expect(iocs.yaraRules.length).toBe(21 + 1 + 13);
  });
});

describe('IOC data', () => {
  it('MSTIC feed: 14 hashes and 47 path rows', () => {
    const csv = readFileSync(
      path.resolve(
        import.meta.dirname,
        '../../../data/exchange/iocs/mstic/MSTICIoCs-ExchangeServerVulnerabilitiesDisclosedMarch2021.csv',
      ),
      'utf8',
    );
    const rows = csv.trim().split(/\r?\n/).slice(1);
    expect(rows.filter((r) => r.includes(',sha256,'))).toHaveLength(14);
    expect(rows.filter((r) => r.includes(',filepath,'))).toHaveLength(47);
    const parsed = parseMsticCsv(csv);
    expect(parsed.sha256.size).toBe(14);
    expect(parsed.pathTails).toContain('frontend/httpproxy/owa/auth/errorpage.aspx');
    expect(parsed.pathTails).toContain('inetpub/wwwroot/aspnet_client/system_web/log.aspx');
    expect(pathTail('C:\\users\\public\\opera\\opera_browser.exe')).toBe(
      'users/public/opera/opera_browser.exe',
    );
  });
});

// Oracle check: the log rules ported to code must flag every IIS line that the original
// signature-base YARA rules flag (run through the same YARA evaluator).
const sigbase = path.resolve(import.meta.dirname, '../../../../shared/exchange/signature-base');
describe.skipIf(!existsSync(sigbase))('ported log rules vs signature-base YARA', () => {
  it('no IIS fixture line that signature-base flags is missed', async () => {
    const logRules = readdirSync(sigbase)
      .filter((f) => /log_sigs|proxyshell|proxynoshell|owassrf|proxytoken|41040/.test(f))
      .flatMap((f) => parseYara(readFileSync(path.join(sigbase, f), 'utf8')).rules)
      .filter((r) => !/^WEBSHELL|IIS_Config|SUSP_|APT_IIS/.test(r.name));
    expect(logRules.length).toBeGreaterThan(10);
    const root = path.resolve(import.meta.dirname, '../../fixtures/exchange/server1');
    const file = path.join(root, 'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log');
    const lines = readFileSync(file, 'latin1').split('\r\n');
    const flaggedBySigbase = new Map<number, string[]>();
    lines.forEach((line, i) => {
      const names = logRules
        .filter((r) => matchRule(r, new YaraTarget(Buffer.from(line + '\n', 'latin1'))))
        .map((r) => r.name);
      if (names.length) flaggedBySigbase.set(i + 1, names);
    });
    expect(flaggedBySigbase.size).toBeGreaterThanOrEqual(6);
    const ours = new Set(
      (await scanExchange(root)).hits.filter((h) => h.file.endsWith('u_ex210305.log')).map((h) => h.line),
    );
    for (const [line, names] of flaggedBySigbase)
      expect(ours.has(line), `line ${line}: ${names.join(', ')}`).toBe(true);
  });
});
