/** `npm run provision`: build or locate the embedded Temporal and FerretDB binaries. */
import { ConfigError, loadConfig } from '../server/config';
import { provisionBrowser, provisionFor } from '../server/provision';

async function main() {
  const quiet = process.argv.includes('--quiet-if-ready');
  const config = loadConfig();
  const lines: string[] = [];
  const result = await provisionFor(config, (l) => {
    lines.push(l);
    console.log(l);
  });
  if (process.argv.includes('--with-browser')) provisionBrowser((l) => (lines.push(l), console.log(l)));
  if (!quiet || lines.length) {
    console.log(`Temporal: ${result.temporal ?? `external at ${config.TEMPORAL_ADDRESS}`}`);
    console.log(`Store:    ${result.ferretdb ?? 'external MongoDB (MONGODB_URI)'}`);
  }
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(`\n${err.message}\n`);
    process.exit(1);
  }
  throw err;
});
