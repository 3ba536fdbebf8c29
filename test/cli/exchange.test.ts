import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ExchangeCliDeps, progressBar, registerExchange } from '../../src/cli/exchange.js';
import type { ScanHit, ScanOptions, ScanResult } from '../../src/exchange/types.js';
import { closedPort, type FakeExchange, startFakeExchange } from '../exchange/probe/fake-exchange.js';

const NOW = new Date('2026-11-27T12:00:00Z');

async function run(args: string[], deps: ExchangeCliDeps = {}) {
  let stdout = '';
  let stderr = '';
  const program = new Command().exitOverride().configureOutput({
    writeOut: (s) => {
      stdout += s;
    },
    writeErr: (s) => {
      stderr += s;
    },
  });
  registerExchange(program, {
    now: () => NOW,
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    ...deps,
  });
  let code = 0;
  program.hook('postAction', (_c, action) => {
    const c = action.getOptionValue('__exitCode');
    if (typeof c === 'number') code = c;
  });
  try {
    await program.parseAsync(['node', 'suspect', 'exchange', ...args]);
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode === 0 ? 0 : 4;
  }
  return { code, stdout, stderr };
}

describe('suspect exchange version', () => {
  it('--json gives product, cu, update, open and fixes; exit 2 when CVEs are open', async () => {
    const r = await run(['version', '15.2.792.3', '--json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.product).toBe('Exchange Server 2019');
    expect(j.cu).toBe('CU8');
    expect(j.update).toBeNull();
    expect(j.open).toContain('CVE-2021-26855');
    expect(j.fixes['CVE-2021-26855']).toMatchObject({ build: '15.2.792.10', kb: 'KB5000871' });
  });

  it('accepts the short form and prints plain words', async () => {
    const r = await run(['version', '15.01.2242.004']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Exchange Server 2016 CU20, build 15\.1\.2242\.4/);
    expect(r.stdout).toMatch(/ProxyShell:/);
    expect(r.stdout).toMatch(/What to do, in order/);
  });

  it('exit 0 for a current Exchange SE build', async () => {
    const r = await run(['version', '15.2.2562.17', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).open).toEqual([]);
  });

  it('exit 4 with a clear message for something that is not a build', async () => {
    const r = await run(['version', 'banana']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/not an Exchange build number/);
    expect(r.stdout).toBe('');
  });

  it('exit 4 when the argument is missing', async () => {
    expect((await run(['version'])).code).toBe(4);
  });
});

describe('suspect exchange probe', () => {
  let server: FakeExchange | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('reads the version from a fake Exchange and checks it (--json)', async () => {
    server = await startFakeExchange({ owaVersion: '15.1.2242.12', logonBuild: '15.1.2242' });
    const r = await run(['probe', server.url, '--json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.probe).toMatchObject({ build: '15.1.2242.12', precision: 'cu+su', source: 'x-owa-version' });
    expect(j.cu).toBe('CU20');
    expect(j.update).toBe('Jul21SU');
    expect(j.open).toContain('CVE-2022-41082');
    expect(j.open).not.toContain('CVE-2021-34473');
  });

  it('says CU only in text output when only the logon page shows the build', async () => {
    server = await startFakeExchange({ logonBuild: '15.2.2562' });
    const r = await run(['probe', server.url]);
    expect(r.stdout).toMatch(/build 15\.2\.2562 from logon-page \(CU only\)/);
    expect(r.code).toBe(0);
  });

  it('exit 3 with a clear message when the server cannot be reached', async () => {
    const port = await closedPort();
    const r = await run(['probe', `http://127.0.0.1:${port}`, '--timeout', '2']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+: .*refused/);
  });

  it('exit 4 for a bad address or timeout', async () => {
    expect((await run(['probe', 'ftp://mail.example.org'])).code).toBe(4);
    expect((await run(['probe', 'https://mail.example.org', '--timeout', '0'])).code).toBe(4);
  });
});

const hit = (severity: ScanHit['severity'], extra: Partial<ScanHit> = {}): ScanHit => ({
  rule: 'proxylogon.ssrf',
  cve: 'CVE-2021-26855',
  file: 'V15/Logging/HttpProxy/Ecp/HttpProxy_2026100101-1.LOG',
  line: 7,
  why: 'AnchorMailbox is ServerInfo~…',
  severity,
  ...extra,
});

function fakeScan(hits: ScanHit[], seen: { opts?: ScanOptions; root?: string } = {}) {
  return async (root: string, opts?: ScanOptions): Promise<ScanResult> => {
    seen.root = root;
    seen.opts = opts;
    opts?.onProgress?.(50, 100);
    opts?.onProgress?.(100, 100);
    return {
      root,
      hits,
      coverage: [
        {
          folder: 'V15/Logging/HttpProxy',
          kind: 'httpproxy',
          files: 2,
          bytes: 100,
          firstSeen: '2026-10-01T00:00:00Z',
          lastSeen: '2026-10-31T00:00:00Z',
          days: 30,
        },
      ],
      problems: [],
      bytesScanned: 100,
      filesScanned: 2,
      ms: 5,
    };
  };
}

describe('suspect exchange scan', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'suspect-exscan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exit 0 and the honest nothing-found line when there are no hits', async () => {
    const r = await run(['scan', dir], { scan: fakeScan([]) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Nothing suspicious in the 30 days these logs cover/);
  });

  it('exit 1 for low/medium hits only, 2 for high/critical', async () => {
    expect(
      (await run(['scan', dir], { scan: fakeScan([hit('medium', { rule: 'ua', cve: undefined })]) })).code,
    ).toBe(1);
    expect((await run(['scan', dir], { scan: fakeScan([hit('low'), hit('critical')]) })).code).toBe(2);
  });

  it('--json gives hits with cve or rule, file and line, plus the steps', async () => {
    const r = await run(['scan', dir, '--json', '--build', '15.2.792.3'], {
      scan: fakeScan([
        hit('critical'),
        hit('medium', { rule: 'webshell.heuristic', cve: undefined, line: undefined }),
      ]),
    });
    const j = JSON.parse(r.stdout);
    expect(j.hits).toHaveLength(2);
    expect(j.hits[0]).toMatchObject({ cve: 'CVE-2021-26855', file: expect.any(String), line: 7 });
    expect(j.hits[1].rule).toBe('webshell.heuristic');
    expect(j.exposure.open).toContain('CVE-2021-26855');
    expect(j.steps.map((s: { kind: string }) => s.kind)).toContain('rebuild');
  });

  it('--html writes a standalone report', async () => {
    const file = path.join(dir, 'report.html');
    const r = await run(['scan', dir, '--html', file], { scan: fakeScan([hit('critical')]) });
    expect(r.code).toBe(2);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/CVE-2021-26855/);
    expect(r.stderr).toContain(`Report written to ${file}`);
  });

  it('draws a progress bar on stderr only when stderr is a terminal', async () => {
    const seen: { opts?: ScanOptions } = {};
    const tty = await run(['scan', dir], { scan: fakeScan([], seen), stderrIsTty: true });
    expect(typeof seen.opts?.onProgress).toBe('function');
    expect(tty.stderr).toMatch(/\[#{30}\] 100% 100 B \/ 100 B/);
    const pipe = await run(['scan', dir], { scan: fakeScan([], seen), stderrIsTty: false });
    expect(seen.opts?.onProgress).toBeUndefined();
    expect(pipe.stderr).toBe('');
  });

  it('exit 3 for a folder that does not exist, 4 for a bad --build', async () => {
    expect((await run(['scan', path.join(dir, 'nope')], { scan: fakeScan([]) })).code).toBe(3);
    expect((await run(['scan', dir, '--build', 'x.y'], { scan: fakeScan([]) })).code).toBe(4);
  });
});

const fixtures = path.resolve(__dirname, '../..', '../shared/exchange/fixtures');
describe.skipIf(!existsSync(fixtures))(
  'suspect exchange scan on ../shared/exchange/fixtures (real scanner)',
  () => {
    it('finds the Test-ProxyLogon traces FACTS.md expects and exits 2', async () => {
      const r = await run(['scan', fixtures, '--json']);
      expect(r.code).toBe(2);
      const j = JSON.parse(r.stdout);
      const count = (cve: string) => j.hits.filter((h: { cve?: string }) => h.cve === cve).length;
      // 3 × 26855, 1 × 27065 ResetVDir + 1 ECP file, 1 × 26858 path.
      expect(count('CVE-2021-26855')).toBe(3);
      expect(count('CVE-2021-27065')).toBe(2);
      expect(count('CVE-2021-26858')).toBe(1);
      for (const h of j.hits) expect(typeof h.file).toBe('string');
      expect(j.compromise).toBe('traces-found');
    });
  },
);

describe('progressBar', () => {
  it('throttles redraws but always draws the end', () => {
    let out = '';
    let t = 0;
    const bar = progressBar(
      (s) => {
        out += s;
      },
      () => t,
    );
    bar.update(1, 10);
    t = 10;
    bar.update(2, 10); // within the redraw interval: skipped
    bar.update(10, 10); // the end is always drawn
    expect(out.match(/\r\[/g)).toHaveLength(2);
    expect(out).toMatch(/100%/);
  });
});
