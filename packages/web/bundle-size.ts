/**
 * `npm run size -w @keel/web` (after a build): the JavaScript and CSS a first visit to the sign-in
 * page downloads, gzipped — the entry chunk, the sign-in page's chunk and every chunk they import
 * statically — from Vite's manifest. The figure goes in README.md; it is not a test threshold.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
}

const dist = path.join(import.meta.dirname, 'dist');
const manifest = JSON.parse(await readFile(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;

/** The chunk and everything it imports statically (what the browser fetches before running it). */
function staticClosure(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imported of manifest[key]?.imports ?? []) staticClosure(imported, seen);
  return seen;
}

async function gzipped(file: string): Promise<number> {
  return gzipSync(await readFile(path.join(dist, file)), { level: 9 }).length;
}

const chunks = staticClosure('src/pages/sign-in.tsx', staticClosure('index.html'));
const scripts = [...chunks].map((key) => manifest[key]!.file);
const styles = [...new Set([...chunks].flatMap((key) => manifest[key]!.css ?? []))];
let js = 0;
for (const file of scripts) {
  const size = await gzipped(file);
  js += size;
  console.log(`${(size / 1024).toFixed(1).padStart(7)} kB  ${file}`);
}
let css = 0;
for (const file of styles) css += await gzipped(file);
console.log(`sign-in page, initial JS gzipped: ${(js / 1024).toFixed(1)} kB in ${scripts.length} files; CSS gzipped: ${(css / 1024).toFixed(1)} kB`);
