import { defineConfig } from 'vite';

// The console is built into web/dist, which the service serves at / on the API's own origin (src/console.ts).
// In development, `npx vite web` serves it with hot reload and forwards the API to a service on port 3000.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The budget is checked on the compressed first load (npm run web:size), not on single chunks.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // Ant Design marks its modules "use client" for React Server Components; a single-page bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/public': 'http://localhost:3000' } },
});
