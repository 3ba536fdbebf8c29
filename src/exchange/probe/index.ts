// Remote Exchange version probe: public entry points.
export { DEFAULT_TIMEOUT_MS, type HttpGet, httpGet, ProbeHttpError } from './http.js';
export { normaliseTarget, ProbeError, type ProbeOptions, type ProbeResult, probeExchange } from './probe.js';
export { versionFromExportToolManifest, versionFromHeaders, versionFromLogonPage } from './sources.js';
