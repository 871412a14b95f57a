/** Bundle the workspace with esbuild into ui/dist and print the bundle size. */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = __dirname;
const out = path.join(root, 'dist');

/** Build the UI; returns the bytes of each output file. */
export async function buildUi(opts: { quiet?: boolean } = {}): Promise<Record<string, number>> {
  // Chunks are named by their hash: stale ones from an earlier build go first.
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  await build({
    entryPoints: { app: path.join(root, 'src', 'main.ts') },
    bundle: true,
    minify: true,
    sourcemap: true,
    // ES modules so that what only some pages need (the dashboard's charts) loads when first used.
    format: 'esm',
    splitting: true,
    chunkNames: 'chunk-[hash]',
    target: 'es2020',
    outdir: out,
    loader: { '.css': 'css', '.svg': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.eot': 'dataurl', '.ttf': 'dataurl' },
    logLevel: 'warning',
    legalComments: 'linked',
  });
  fs.copyFileSync(path.join(root, 'index.html'), path.join(out, 'index.html'));
  await buildPortal();
  const sizes: Record<string, number> = {};
  for (const f of ['app.js', 'app.css', 'portal/portal.js', 'portal/portal.css']) sizes[f] = fs.statSync(path.join(out, f)).size;
  const chunks = fs.readdirSync(out).filter((f) => f.startsWith('chunk-') && f.endsWith('.js'));
  sizes['chunks (loaded when used)'] = chunks.reduce((n, f) => n + fs.statSync(path.join(out, f)).size, 0);
  const kib = (n: number) => (n / 1024).toFixed(0);
  if (!opts.quiet)
    console.log(
      `UI bundle: app.js ${kib(sizes['app.js'])} KiB, app.css ${kib(sizes['app.css'])} KiB, chunks loaded when used ${kib(sizes['chunks (loaded when used)'])} KiB, portal ${kib(sizes['portal/portal.js'] + sizes['portal/portal.css'])} KiB → ${path.relative(process.cwd(), out) || out}`,
    );
  return sizes;
}

/** The public portal (/portal/): its own small bundle, none of bpmn-js. */
async function buildPortal(): Promise<void> {
  const dir = path.join(out, 'portal');
  fs.mkdirSync(dir, { recursive: true });
  await build({ entryPoints: [path.join(root, 'src', 'portal', 'main.ts')], bundle: true, minify: true, sourcemap: true, format: 'iife', target: 'es2020', outfile: path.join(dir, 'portal.js'), logLevel: 'warning' });
  fs.copyFileSync(path.join(root, 'portal', 'index.html'), path.join(dir, 'index.html'));
}

if (require.main === module) {
  buildUi().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
