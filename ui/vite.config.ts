/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Debian's Chromium; the test run never downloads a browser.
const chromium = process.env.QOIMA_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: 'dist',
    target: 'es2021',
    // One JS file and one CSS file, no inline scripts: fits the app's CSP.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.browser.test.ts', 'src/paraglide/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          testTimeout: 60_000,
          include: ['src/**/*.browser.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: 'playwright',
            screenshotFailures: false,
            instances: [
              {
                browser: 'chromium',
                launch: {
                  executablePath: chromium,
                  args: [
                    '--no-sandbox',
                    '--disable-gpu',
                    '--disable-background-networking',
                    '--disable-component-update',
                    '--disable-sync',
                    '--no-first-run',
                  ],
                },
              },
            ],
          },
        },
      },
    ],
  },
});
