import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The kiosk and the staff admin page are built into kiosk-ui/dist and served by the service itself
// (no CDN, no dev server on the Pi). Two entry pages: the lobby screen and /admin.html.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  // Preact's automatic JSX runtime: components are plain functions, no React compatibility layer.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    rollupOptions: {
      input: { kiosk: resolve(import.meta.dirname, 'index.html'), admin: resolve(import.meta.dirname, 'admin.html') },
    },
  },
});
