// Remediation report: model, text, HTML.
export * from './html.js';
export * from './model.js';
export * from './text.js';
