#!/usr/bin/env node
import { ConfigError } from '@keel/kernel';
import { startCommand } from './start/start-command.ts';
import { migrateCommand } from './db/migrate-command.ts';
import { addRegionCommand } from './regions/add-region-command.ts';
import { rotateKeysCommand } from './keys/rotate-keys-command.ts';
import { specsCheckCommand } from './specs/command.ts';
import { errorsCatalogCommand } from './errors-catalog/command.ts';
import { clusterCommand } from './cluster/cluster-command.ts';

const USAGE = `usage: keel <command>
  start            run Keel (KEEL_ROLE=all|central|regional|edge)
  cluster          run N regional instances behind HAProxy, with central and an edge
                   (--instances 3 --adapter postgres|redis)
  db migrate       apply migrations to the databases of KEEL_ROLE, then exit
  regions add <id> register a region with central and print its feed credential
  keys rotate      sign central's tokens with a new key; the old one stays published for SIGNING_KEY_OVERLAP_MS
  specs check      every active rule in specs/ has a test naming its id
  errors catalog   write docs/errors.md from the error classes (--check: fail when stale)`;

const commands: Record<string, (args: string[]) => Promise<number | void>> = {
  start: () => startCommand(),
  cluster: (args) => clusterCommand(args),
  'db migrate': () => migrateCommand(),
  'regions add': (args) => addRegionCommand(args),
  'keys rotate': () => rotateKeysCommand(),
  'specs check': () => specsCheckCommand(process.cwd()),
  'errors catalog': (args) => errorsCatalogCommand(process.cwd(), { check: args.includes('--check') }),
};

const argv = process.argv.slice(2);
const name = [argv.slice(0, 2).join(' '), argv[0] ?? ''].find((candidate) => candidate in commands);
if (!name) {
  console.error(USAGE);
  process.exit(2);
}
try {
  const exitCode = await commands[name]!(argv.slice(name.split(' ').length));
  if (typeof exitCode === 'number') process.exitCode = exitCode;
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
