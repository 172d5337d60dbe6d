import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * `npm run build -w @keel/web` writes dist/, which the edge serves at `/`. `npm run dev` serves the
 * app with hot reload on http://127.0.0.1:5173 and forwards the API to a running Keel (KEEL_URL,
 * default http://127.0.0.1:3000) — start that Keel with PUBLIC_URL=http://127.0.0.1:5173, the
 * origin the browser is on, so that sign-in's origin check and emailed links match.
 */
const keelUrl = process.env.KEEL_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    // `/realtime`: Socket.IO (its WebSocket upgrade too) of the live board and order page.
    proxy: { '/api': keelUrl, '/health': keelUrl, '/realtime': { target: keelUrl, ws: true } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // dist/.vite/manifest.json: which chunks each page loads (bundle-size.ts reads it).
    manifest: true,
  },
});
