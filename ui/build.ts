/** Bundle the workspace with esbuild into ui/dist and print the bundle size. */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = __dirname;
const out = path.join(root, 'dist');

/** Build the UI; returns the bytes of each output file. */
export async function buildUi(opts: { quiet?: boolean } = {}): Promise<Record<string, number>> {
  fs.mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'src', 'main.ts')],
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'iife',
    target: 'es2020',
    outfile: path.join(out, 'app.js'),
    loader: { '.css': 'css', '.svg': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.eot': 'dataurl', '.ttf': 'dataurl' },
    logLevel: 'warning',
    legalComments: 'linked',
  });
  fs.copyFileSync(path.join(root, 'index.html'), path.join(out, 'index.html'));
  const sizes: Record<string, number> = {};
  for (const f of ['app.js', 'app.css']) sizes[f] = fs.statSync(path.join(out, f)).size;
  if (!opts.quiet) console.log(`UI bundle: app.js ${(sizes['app.js'] / 1024).toFixed(0)} KiB, app.css ${(sizes['app.css'] / 1024).toFixed(0)} KiB → ${path.relative(process.cwd(), out) || out}`);
  return sizes;
}

if (require.main === module) {
  buildUi().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
