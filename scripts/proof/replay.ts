/**
 * Replay a decision's history offline against this checkout's workflow code, as Temporal's own
 * replay tests do (Worker.runReplayHistory), with the proof interceptors bundled in
 * (workflows/proof-interceptors.ts): what comes back is every act the history accepted, with the
 * guards' verdict on it re-run at its workflow time, and every projection the workflow wrote.
 * No Temporal server or store is involved.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { ProjectionDelta } from '../../workflows/model';
import type { ReplayedAct } from '../../workflows/proof-interceptors';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, 'workflows', 'index.ts');
const INTERCEPTORS = path.join(ROOT, 'workflows', 'proof-interceptors.ts');

/** What the bundle is built from: the workflow sources, the statute catalogue and the locked SDK. */
function sourceHash(): string {
  const h = crypto.createHash('sha256');
  const files = [
    ...fs.readdirSync(path.join(ROOT, 'workflows')).map((f) => path.join('workflows', f)),
    ...fs.readdirSync(path.join(ROOT, 'definitions')).map((f) => path.join('definitions', f)),
    'package-lock.json',
  ]
    .filter((f) => /\.(ts|json)$/.test(f))
    .sort();
  for (const f of files) h.update(f).update(fs.readFileSync(path.join(ROOT, f)));
  return h.digest('hex').slice(0, 16);
}

const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

/**
 * The workflow bundle with the proof interceptors, built once per source version and kept in the
 * cache directory (JUECE_CACHE_DIR, else ~/.cache/juece): bundling takes seconds, replay far less.
 */
export async function proofWorkflowCode(): Promise<string> {
  const dir = path.join(process.env.JUECE_CACHE_DIR || path.join(os.homedir(), '.cache', 'juece'), 'proof');
  const file = path.join(dir, `workflows-${sourceHash()}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS, workflowInterceptorModules: [INTERCEPTORS], logger: quiet });
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(`${file}.tmp`, code);
      fs.renameSync(`${file}.tmp`, file);
    } catch {
      // A read-only cache costs only the time to bundle again.
    }
    return code;
  }
}

export interface Replayed {
  acts: ReplayedAct[];
  projections: ProjectionDelta[];
  /** Why the replay failed (non-determinism, a workflow task failure), or null. */
  error: string | null;
}

let runtimeReady = false;
function ensureRuntime() {
  if (runtimeReady) return;
  runtimeReady = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed by the host (the test suite): use it.
  }
}

/** Replay `history` (workflow `workflowId`) with the proof interceptors. */
export async function replayWithProof(history: History, workflowId: string, code?: string): Promise<Replayed> {
  ensureRuntime();
  const acts: ReplayedAct[] = [];
  const projections: ProjectionDelta[] = [];
  let error: string | null = null;
  try {
    await Worker.runReplayHistory(
      {
        workflowBundle: { code: code ?? (await proofWorkflowCode()) },
        sinks: {
          proof: {
            act: { fn: (_info, act: ReplayedAct) => void acts.push(structuredClone(act)), callDuringReplay: true },
            projection: { fn: (_info, delta: ProjectionDelta) => void projections.push(structuredClone(delta)), callDuringReplay: true },
          },
        },
      },
      history,
      workflowId,
    );
  } catch (err) {
    const e = err as Error & { cause?: Error };
    error = [e.name, e.message, e.cause?.message].filter(Boolean).join(': ');
  }
  return { acts, projections, error };
}
