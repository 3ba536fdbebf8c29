// Benchmark of `scanExchange` against `grep -c 'ServerInfo~'` over the same files.
// Generates a log tree shaped like a copy of an Exchange server (HttpProxy logs with the real column
// list, IIS W3C logs, small ECP/OAB logs), mostly benign rows with a few attack rows at known places,
// then times grep and the scan on the same files, warm cache, and reports MB/s and peak RSS.
//
//   npx tsx bench/exchange-scan.ts [--gb 2] [--dir /tmp/suspect-exchange-bench] [--keep] [--workers N] [--rounds 3]
//
// The scan runs in a child process so its peak RSS is its own; RSS is sampled during the scan to show
// that memory stays flat as bytes go by.

import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HTTPPROXY_FIELDS =
  'DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,TargetOutstandingRequests,AuthModulePerfContext,HttpPipelineLatency,CalculateTargetBackEndLatency,GlsLatencyBreakup,TotalGlsLatency,AccountForestLatencyBreakup,TotalAccountForestLatency,ResourceForestLatencyBreakup,TotalResourceForestLatency,ADLatency,SharedCacheLatencyBreakup,TotalSharedCacheLatency,ActivityContextLifeTime,ModuleToHandlerSwitchingLatency,ClientReqStreamLatency,BackendReqInitLatency,BackendReqStreamLatency,BackendProcessingLatency,BackendRespInitLatency,BackendRespStreamLatency,ClientRespStreamLatency,KerberosAuthHeaderLatency,HandlerCompletionLatency,RequestHandlerLatency,HandlerToModuleSwitchingLatency,ProxyTime,CoreLatency,RoutingLatency,HttpProxyOverhead,TotalRequestTime,RouteRefresherLatency,UrlQuery,BackEndGenericInfo,GenericInfo,GenericErrors,EdgeTraceId,DatabaseGuid,UserADObjectGuid,PartitionEndpointLookupLatency,RoutingStatus'.split(
    ',',
  );
const IIS_FIELDS =
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';
const PROTOCOLS = ['Owa', 'Ews', 'Mapi', 'Eas', 'Autodiscover', 'Ecp', 'RpcHttp'];
const FILE_BYTES = 32 * 1024 * 1024;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function hex(n: number, w: number): string {
  return n.toString(16).padStart(w, '0');
}

function guid(n: number): string {
  return `${hex(n, 8)}-${hex(n % 65536, 4)}-4${hex(n % 4096, 3)}-a${hex(n % 4096, 3)}-${hex(n * 7919, 12).slice(-12)}`;
}

function iso(base: number, ms: number): string {
  return new Date(base + ms).toISOString();
}

function httpProxyRow(proto: string, t: string, n: number, attack?: Record<string, string>): string {
  const v: Record<string, string> = {
    DateTime: t,
    RequestId: guid(n),
    MajorVersion: '15',
    MinorVersion: '1',
    BuildVersion: '2375',
    RevisionVersion: '31',
    ClientRequestId: guid(n * 3),
    Protocol: proto,
    UrlHost: 'mail.example.test',
    UrlStem:
      proto === 'Mapi'
        ? '/mapi/emsmdb/'
        : proto === 'Ews'
          ? '/EWS/Exchange.asmx'
          : `/${proto.toLowerCase()}/`,
    ProtocolAction: proto === 'Mapi' ? 'Execute' : '',
    AuthenticationType: 'Negotiate',
    IsAuthenticated: 'true',
    AuthenticatedUser: `EXAMPLE\\user${n % 500}`,
    AnchorMailbox: `Smtp~user${n % 500}@example.test`,
    UserAgent: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13901; Pro)',
    ClientIpAddress: `198.51.100.${n % 250}`,
    ServerHostName: 'EXCH01',
    HttpStatus: '200',
    BackEndStatus: '200',
    Method: 'POST',
    ProxyAction: 'Proxy',
    TargetServer: 'exch01.example.local',
    TargetServerVersion: 'Version 15.1 (Build 2375.31)',
    RoutingType: 'AnchorMailboxHeader',
    RoutingHint: 'AnchorMailbox-Header',
    BackEndCookie: `Database~${guid(n % 7)}~~2021-03-31T06:00:00`,
    ServerLocatorHost: 'exch01.example.local',
    ServerLocatorLatency: '0',
    RequestBytes: String(1000 + (n % 5000)),
    ResponseBytes: String(2000 + (n % 9000)),
    TargetOutstandingRequests: '0',
    AuthModulePerfContext: 'EXCH01;TGT=0;TGC=0',
    HttpPipelineLatency: '1',
    CalculateTargetBackEndLatency: '0',
    GlsLatencyBreakup: '',
    ADLatency: '2',
    ActivityContextLifeTime: '150',
    BackendProcessingLatency: String(n % 200),
    TotalRequestTime: String(20 + (n % 300)),
    UrlQuery: proto === 'Owa' ? '?action=GetFolder&app=Mail&n=' + n : '',
    GenericInfo: `ProxyState-Run=None;ResolveCasLatency=0;RoutingEntry=Database:${guid(n % 7)}@exch01.example.local`,
    UserADObjectGuid: guid(n % 500),
    RoutingStatus: 'Success',
    ...attack,
  };
  return HTTPPROXY_FIELDS.map((f) => {
    const x = v[f] ?? '';
    return /[",]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x;
  }).join(',');
}

function iisRow(t: Date, n: number): string {
  const d = t.toISOString();
  const stems = [
    '/owa/service.svc',
    '/mapi/emsmdb/',
    '/EWS/Exchange.asmx',
    '/Microsoft-Server-ActiveSync/default.eas',
    '/owa/auth/Current/themes/resources/logon.css',
  ];
  const stem = stems[n % stems.length];
  const method = stem.endsWith('.css') ? 'GET' : 'POST';
  return `${d.slice(0, 10)} ${d.slice(11, 19)} 10.0.0.5 ${method} ${stem} &CorrelationID=<empty>;&cafeReqId=${guid(n)};&encoding=; 443 EXAMPLE\\user${n % 500} 198.51.100.${n % 250} Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/120.0.0.0+Safari/537.36 - 200 0 0 ${n % 900}`;
}

interface Expected {
  ssrf: number;
  proxyshell: number;
  owassrf: number;
}

function generate(root: string, totalBytes: number): Expected {
  const base = Date.parse('2021-02-01T00:00:00Z');
  const exp: Expected = { ssrf: 0, proxyshell: 0, owassrf: 0 };
  let written = 0;
  let fileNo = 0;
  let row = 0;
  const iisShare = 0.35;
  while (written < totalBytes) {
    const iis = fileNo % 3 === 2 && written < totalBytes * (iisShare + 0.05);
    const hour = fileNo;
    const start = base + hour * 3_600_000 * 8;
    let dir: string;
    let name: string;
    let header: string;
    const proto = PROTOCOLS[fileNo % PROTOCOLS.length];
    if (iis) {
      dir = path.join(root, 'inetpub/logs/LogFiles/W3SVC1');
      name = `u_ex${new Date(start).toISOString().slice(2, 13).replace(/[-T]/g, '')}.log`;
      header = `#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: ${new Date(start).toISOString().slice(0, 19).replace('T', ' ')}\r\n${IIS_FIELDS}\r\n`;
    } else {
      dir = path.join(root, 'V15/Logging/HttpProxy', proto);
      name = `HttpProxy_${new Date(start).toISOString().slice(0, 13).replace(/[-T]/g, '')}-${fileNo}.LOG`;
      header = `${HTTPPROXY_FIELDS.join(',')}\r\n#Software: Microsoft Exchange Server\r\n#Version: 15.01.2375.031\r\n#Log-type: HttpProxy Logs\r\n#Date: ${iso(start, 0)}\r\n#Fields: ${HTTPPROXY_FIELDS.join(',')}\r\n`;
    }
    mkdirSync(dir, { recursive: true });
    const fd = openSync(path.join(dir, name), 'w');
    writeSync(fd, header);
    let size = header.length;
    let block: string[] = [];
    const flush = () => {
      const s = block.join('\r\n') + '\r\n';
      writeSync(fd, s);
      size += s.length;
      block = [];
    };
    const target = Math.min(FILE_BYTES, totalBytes - written);
    let planted = false;
    while (size < target) {
      row++;
      const t = start + Math.floor((row % 100000) * 36);
      // A few attack rows, one in the middle of some files.
      const plant = !planted && size + block.length * 400 > target / 2;
      if (plant) planted = true;
      if (plant && !iis && fileNo % 4 === 1) {
        block.push(
          httpProxyRow(proto, iso(t, 0), row, {
            AnchorMailbox: 'ServerInfo~a]@exch01.example.local:444/mapi/emsmdb/?#',
            IsAuthenticated: 'false',
            AuthenticatedUser: '',
            UserAgent: 'python-requests/2.25.1',
            RoutingHint: 'X-BEResource-Cookie',
          }),
        );
        exp.ssrf++;
      } else if (plant && !iis && proto === 'Autodiscover') {
        block.push(
          httpProxyRow(proto, iso(t, 0), row, {
            UrlStem: '/autodiscover/autodiscover.json',
            UrlQuery: '?@evil.test/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.test',
            IsAuthenticated: 'false',
            AuthenticatedUser: '',
            AnchorMailbox: '',
          }),
        );
        exp.proxyshell++;
      } else if (plant && iis && fileNo % 2 === 0) {
        const d = new Date(t).toISOString();
        block.push(
          `${d.slice(0, 10)} ${d.slice(11, 19)} 10.0.0.5 POST /owa/mastermailbox%40outlook.com/powershell - 443 EXAMPLE\\bob 203.0.113.63 python-requests/2.28.1 - 200 0 0 15`,
        );
        exp.owassrf++;
      } else {
        block.push(iis ? iisRow(new Date(t), row) : httpProxyRow(proto, iso(t, 0), row));
      }
      if (block.length >= 2000) flush();
    }
    flush();
    closeSync(fd);
    written += size;
    fileNo++;
  }
  // Small ECP / OAB logs so every scanner runs.
  mkdirSync(path.join(root, 'V15/Logging/ECP/Server'), { recursive: true });
  const fd = openSync(path.join(root, 'V15/Logging/ECP/Server/ECPServer20210201-1.LOG'), 'w');
  writeSync(
    fd,
    '#Software: Microsoft Exchange Server\r\n#Fields: TimeStamp,ServerName,EventId,EventData\r\n',
  );
  for (let i = 0; i < 20000; i++)
    writeSync(
      fd,
      `2021-02-01T00:00:${String(i % 60).padStart(2, '0')}.000Z,EXCH01,ECP.Request,S:TIME=1;S:CMD=Get-OabVirtualDirectory.Identity=$null;S:EX=\r\n`,
    );
  closeSync(fd);
  return exp;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

/** Wall and CPU (user + sys) time of grep, from bash's `time`. */
function timeGrep(files: string[]): { ms: number; cpuMs: number; count: number } {
  const r = spawnSync(
    'bash',
    ['-c', 'TIMEFORMAT="%R %U %S"; { time grep -c "ServerInfo~" "$@" ; } 2>&3', '_', ...files],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    },
  );
  const [real, user, sys] = String(r.output[3]).trim().split(' ').map(Number);
  const count = r.stdout
    .trim()
    .split('\n')
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(':') + 1)), 0);
  return { ms: real * 1000, cpuMs: (user + sys) * 1000, count };
}

async function scanOnly(root: string, workers?: number, modulePath?: string): Promise<void> {
  const { scanExchange } = (await import(
    modulePath ? pathToFileURL(modulePath).href : '../src/exchange/scan/index.js'
  )) as typeof import('../src/exchange/scan/index.js');
  const samples: { done: number; rssMB: number }[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const r = await scanExchange(root, {
    workers,
    onProgress(done, total) {
      if (done >= next) {
        samples.push({ done, rssMB: Math.round(process.memoryUsage().rss / 1048576) });
        next += total / 10;
      }
    },
  });
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(cpu0); // all threads of the process
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const rules: Record<string, number> = {};
  for (const h of r.hits) rules[h.rule] = (rules[h.rule] ?? 0) + 1;
  process.stdout.write(
    JSON.stringify({
      ms,
      cpuMs,
      bytes: r.bytesScanned,
      files: r.filesScanned,
      rules,
      problems: r.problems.length,
      maxRssKB: process.resourceUsage().maxRSS,
      samples,
    }),
  );
}

/** Compiles the scanner alone to plain JavaScript, as `npm run build` would, so the numbers are those
 * of the shipped code (worker threads under tsx would each compile TypeScript at start). */
function compileScanner(repo: string): string | undefined {
  const out = path.join(tmpdir(), 'suspect-exchange-bench-dist');
  rmSync(out, { recursive: true, force: true });
  const r = spawnSync(
    path.join(repo, 'node_modules/.bin/tsc'),
    [
      '--outDir',
      out,
      '--rootDir',
      path.join(repo, 'src'),
      '--module',
      'NodeNext',
      '--moduleResolution',
      'NodeNext',
      '--target',
      'ES2022',
      '--skipLibCheck',
      '--strict',
      '--types',
      'node',
      path.join(repo, 'src/exchange/scan/index.ts'),
      path.join(repo, 'src/exchange/scan/log-worker.ts'),
    ],
    { encoding: 'utf8' },
  );
  const entry = path.join(out, 'exchange/scan/index.js');
  return r.status === 0 && existsSync(entry) ? entry : undefined;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--scan-only')
    return scanOnly(
      process.argv[3],
      process.argv[4] ? Number(process.argv[4]) : undefined,
      process.argv[5] || undefined,
    );
  const workers = arg('workers', '');
  const gb = Number(arg('gb', '2'));
  const root = arg('dir', '/tmp/suspect-exchange-bench');
  if (!(gb > 0)) throw new Error('--gb must be a positive number');
  const marker = path.join(root, '.expected.json');
  let expected: Expected;
  if (
    existsSync(marker) &&
    Math.abs(Number(execFileSync('du', ['-sb', root]).toString().split('\t')[0]) - gb * 1e9) < gb * 1e8
  ) {
    expected = JSON.parse(execFileSync('cat', [marker]).toString());
    console.error(`reusing ${root}`);
  } else {
    rmSync(root, { recursive: true, force: true });
    console.error(`generating ${gb} GB in ${root} ...`);
    const t = performance.now();
    expected = generate(root, gb * 1e9);
    execFileSync('sh', ['-c', `echo '${JSON.stringify(expected)}' > ${marker}`]);
    console.error(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const files = listFiles(root).filter((f) => !f.endsWith('.json'));
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const mb = bytes / 1e6;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const compiled = compileScanner(path.resolve(here, '..'));
  console.error(
    compiled
      ? `scanning with the compiled JavaScript in ${path.dirname(compiled)}`
      : 'tsc failed; scanning from source through tsx',
  );
  // Warm the page cache once, then alternate so neither side gets a colder cache.
  timeGrep(files);
  const runs: {
    grepMs: number;
    grepCpuMs: number;
    scanMs: number;
    scanCpuMs: number;
    scan: ReturnType<typeof JSON.parse>;
  }[] = [];
  const rounds = Number(arg('rounds', '3'));
  for (let i = 0; i < rounds; i++) {
    const g = timeGrep(files);
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'exchange-scan.ts'), '--scan-only', root, workers, compiled ?? ''],
      {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      },
    );
    if (child.status !== 0) throw new Error(child.stderr);
    const scan = JSON.parse(child.stdout);
    runs.push({ grepMs: g.ms, grepCpuMs: g.cpuMs, scanMs: scan.ms, scanCpuMs: scan.cpuMs, scan });
    if (i === 0) console.error(`grep -c found ${g.count} ServerInfo~ lines (expected ${expected.ssrf})`);
  }
  const best = (k: 'grepMs' | 'scanMs' | 'grepCpuMs' | 'scanCpuMs') => Math.min(...runs.map((r) => r[k]));
  const last = runs[runs.length - 1].scan;
  const grepMBs = mb / (best('grepMs') / 1000);
  const scanMBs = mb / (best('scanMs') / 1000);
  console.log(
    `files: ${files.length}, ${mb.toFixed(0)} MB (HttpProxy + IIS W3C + ECP), machine: ${execFileSync('nproc').toString().trim()} cores, load ${execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' ')}`,
  );
  console.log(`grep -c 'ServerInfo~': best ${best('grepMs').toFixed(0)} ms  = ${grepMBs.toFixed(0)} MB/s`);
  console.log(
    `scanExchange (all rules): best ${best('scanMs').toFixed(0)} ms = ${scanMBs.toFixed(0)} MB/s  (${((100 * scanMBs) / grepMBs).toFixed(0)}% of grep)`,
  );
  const grepCpu = mb / (best('grepCpuMs') / 1000);
  const scanCpu = mb / (best('scanCpuMs') / 1000);
  console.log(
    `CPU time (user+sys, all threads): grep ${best('grepCpuMs').toFixed(0)} ms = ${grepCpu.toFixed(0)} MB per CPU-second; scan ${best('scanCpuMs').toFixed(0)} ms = ${scanCpu.toFixed(0)} MB per CPU-second (${((100 * scanCpu) / grepCpu).toFixed(0)}%)`,
  );
  console.log(
    `rounds (wall ms, grep/scan): ${runs.map((r) => `${r.grepMs.toFixed(0)}/${r.scanMs.toFixed(0)}`).join(', ')}`,
  );
  console.log(
    `scan peak RSS: ${(last.maxRssKB / 1024).toFixed(0)} MB; RSS during scan (MB): ${last.samples.map((s: { rssMB: number }) => s.rssMB).join(' ')}`,
  );
  console.log(
    `hits by rule: ${JSON.stringify(last.rules)}; expected ${JSON.stringify(expected)}; problems: ${last.problems}`,
  );
  const ok =
    last.rules['proxylogon.ssrf'] === expected.ssrf &&
    (last.rules['proxyshell.autodiscover'] ?? 0) === expected.proxyshell &&
    (last.rules['owassrf.owa-powershell'] ?? 0) === expected.owassrf;
  console.log(
    ok ? 'hit counts match the planted attack rows' : 'HIT COUNTS DIFFER from the planted attack rows',
  );
  if (!process.argv.includes('--keep')) rmSync(root, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(3);
});
