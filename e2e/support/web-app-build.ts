import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const WEB = path.join(import.meta.dirname, '..', '..', 'packages', 'web');
const BUILT = path.join(WEB, 'dist', 'index.html');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json'];

/**
 * The browser suites test the app the edge serves: packages/web/dist. `npm ci` builds it (the root
 * `prepare` script); this rebuilds it when a source file is newer, so a test never drives stale code.
 */
export async function ensureWebAppBuilt(): Promise<void> {
  const built = await stat(BUILT).then((file) => file.mtimeMs, () => 0);
  if (built > (await newestSource())) return;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(WEB, '..', '..', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: WEB, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`building the web app failed (npm run build -w @keel/web):\n${output}`))));
  });
}

async function newestSource(): Promise<number> {
  let newest = 0;
  for (const source of SOURCES) {
    const root = path.join(WEB, source);
    const info = await stat(root);
    newest = Math.max(newest, info.mtimeMs);
    if (!info.isDirectory()) continue;
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
}
