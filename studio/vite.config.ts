import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The platform serves the build at /studio/ (platform/src/api/routes/studio.ts), so every
// asset URL starts there. Assets get content hashes in their names and are cached for a year.
export default defineConfig({
  base: '/studio/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One file per module kind keeps the page to a few requests; React Flow is the largest part.
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npm run dev -w studio` proxies the API to a platform started with `npm start`.
    proxy: { '/v1': 'http://127.0.0.1:3000' },
  },
});
