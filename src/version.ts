// The package version, reported in every stored result.
export const VERSION = '0.1.0';
