// Placeholder registration; the owning area replaces it with its real subcommands.
import type { Command } from 'commander';

export function registerContacts(_program: Command): void {}
