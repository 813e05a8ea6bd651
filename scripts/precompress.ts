import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Text files the page loads (source maps only open in developer tools); images other than SVG come compressed. */
const COMPRESSIBLE = /\.(?:js|css|html|svg|json)$/;

/**
 * A Vite plugin writing `.br` and `.gz` beside every text file of the build, at the strongest
 * levels: done once at build time, so the server (@fastify/static's `preCompressed`) sends a
 * compressed file without spending CPU on every page load during a session.
 */
export function precompress(): Plugin {
  return {
    name: 'concord-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir!;
      for (const name of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(name)) continue;
        const path = join(dir, name);
        const bytes = readFileSync(path);
        writeFileSync(`${path}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
        writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}
