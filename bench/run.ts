/**
 * `npm run bench`: performance figures of the real stack, on throwaway servers. It measures
 * and records; it does not pass or fail (a ✓/✗ shows where the product sets a target).
 * Results go to bench/results/latest.json and a timestamped copy. See bench/README.md.
 */
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { decisionForRender, fillReadModel, measureList, measureSteps } from './api-bench';
import { measureRender } from './render-bench';
import { machineFacts, memoryFacts, printTable, writeResults } from './report';
import { startBenchStack, type BenchStack } from './stack';
import { envInt } from './stats';

/** The product issue's target: the decision view renders with all markers in ≤ 1 s. */
const RENDER_TARGET_MS = 1000;

const log = (line: string) => console.log(line);

/** Wall time of each phase, in ms (recorded in the results). */
const phasesMs: Record<string, number> = {};
async function phase<T>(name: string, what: string, fn: () => Promise<T>): Promise<T> {
  log(what);
  const t = performance.now();
  try {
    return await fn();
  } finally {
    phasesMs[name] = Math.round(performance.now() - t);
    log(`  … ${(phasesMs[name] / 1000).toFixed(1)} s`);
  }
}

async function main(): Promise<number> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const parameters = {
    renders: envInt('BENCH_RENDERS', 20),
    decisions: envInt('BENCH_DECISIONS', 30),
    listSize: envInt('BENCH_LIST_SIZE', 200),
    listQueries: envInt('BENCH_LIST_QUERIES', 50),
  };
  log(`Juece bench: ${JSON.stringify(parameters)}`);
  let stack: BenchStack | undefined;
  const onSignal = (sig: string) => {
    console.error(`\n${sig}: stopping the bench stack…`);
    void (stack?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));

  try {
    stack = await startBenchStack(log);
    log(`Stack ready at ${stack.baseUrl} (${JSON.stringify(stack.setup)})`);

    const s = stack;
    const renderId = await phase('renderDecisionSetup', 'a. A decision through initiation, a draft, drafting and public participation…', () => decisionForRender(s));
    const render = await phase('render', `a. The decision view in Chromium, ${parameters.renders} loads…`, () => measureRender(s.baseUrl, renderId, parameters.renders));
    const steps = await phase('steps', `b/c. Step actions and refused attempts over ${parameters.decisions} decisions…`, () => measureSteps(s, parameters.decisions, 1));
    const inReadModel = await phase('fillReadModel', `d. Filling the read model to ${parameters.listSize} decisions…`, () => fillReadModel(s, parameters.listSize, 1 + parameters.decisions));
    const list = await phase('list', `d. List queries, ${parameters.listQueries} rounds…`, () => measureList(s, parameters.listQueries, inReadModel));

    const memory = memoryFacts(stack.pids);
    const durationMs = Math.round(performance.now() - t0);
    const results = {
      startedAt,
      durationMs,
      machine: machineFacts(),
      parameters,
      setupMs: stack.setup,
      phasesMs,
      targets: {
        decisionViewRender: {
          statement: 'The decision view renders the standard definition with all markers in ≤ 1 s.',
          thresholdMs: RENDER_TARGET_MS,
          measuredAs: 'p95 of the wall time from page.goto to main[data-ready="true"]',
          p95Ms: render.wallMs.p95,
          met: render.wallMs.p95 <= RENDER_TARGET_MS,
        },
      },
      render,
      steps,
      list,
      memory,
    };
    const file = writeResults(results);

    printTable([
      { name: 'render: goto → ready (wall)', s: render.wallMs, targetMs: RENDER_TARGET_MS },
      { name: 'render: data-render-ms (in page)', s: render.renderMs, targetMs: RENDER_TARGET_MS },
      { name: 'create decision', s: steps.createMs },
      { name: 'step start', s: steps.startMs },
      { name: 'step complete', s: steps.completeMs },
      { name: 'refused attempt (409 + audit)', s: steps.refusedMs },
      { name: 'decision state (query)', s: steps.stateQueryMs },
      ...Object.entries(list.queries).map(([name, q]) => ({ name: `list ${name} (total ${q.total})`, s: q.ms })),
    ]);
    log(`\nrender: cold first load ${render.coldWallMs} ms, ${render.markedElements} marked elements, ${render.pageErrors.length} page error(s)`);
    log(`memory: bench process RSS ${memory.benchProcess.rssMiB} MiB (peak ${memory.benchProcess.peakRssMiB} MiB, heap ${memory.benchProcess.heapUsedMiB} MiB); ` + `children ${JSON.stringify(memory.childServersRssMiB)}`);
    log(`duration: ${(durationMs / 1000).toFixed(1)} s → ${path.relative(process.cwd(), file)} and bench/results/latest.json`);
    return 0;
  } catch (err) {
    console.error('\nThe bench could not complete:', (err as Error)?.stack ?? err);
    return 1;
  } finally {
    log('Stopping the bench stack…');
    await stack?.close();
    log(`Total ${((performance.now() - t0) / 1000).toFixed(1)} s, teardown included.`);
  }
}

void main().then((code) => process.exit(code));
