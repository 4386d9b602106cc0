import { defineConfig } from 'vite';

// The API serves web/dist in every mode but Vite's own dev server; that one proxies the API.
// JSX is compiled by Vite's built-in Oxc transform (React's automatic runtime).
export default defineConfig({
  root: import.meta.dirname,
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: { '/api': 'http://localhost:3000', '/readyz': 'http://localhost:3000', '/healthz': 'http://localhost:3000' },
  },
});
