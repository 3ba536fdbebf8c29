// Placeholder registration; the owning area replaces it with its real subcommands.
import type { Command } from 'commander';

export function registerExchange(_program: Command): void {}
