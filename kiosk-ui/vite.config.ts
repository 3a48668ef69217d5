import { defineConfig } from 'vite';

// The kiosk is built into kiosk-ui/dist and served by the service itself (no CDN, no dev server on the Pi).
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020', sourcemap: false },
});
