/**
 * `npm run bench`: performance figures of the real stack, on throwaway servers. It measures
 * and records; it does not pass or fail (a ✓/✗ shows where the product sets a target).
 * Results go to bench/results/latest.json and a timestamped copy. See bench/README.md.
 */
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { decisionForRender, measureSteps } from './api-bench';
import { fillReadModel, measureList, type FillMode } from './list-bench';
import { measureRender } from './render-bench';
import { loadAverage, machineFacts, memoryFacts, printSummary, writeResults, type BenchResults } from './report';
import { startBenchStack, type BenchStack } from './stack';
import { envInt } from './stats';

/** The product issue's target: the decision view renders with all markers in ≤ 1 s. */
const RENDER_TARGET_MS = 1000;

const log = (line: string) => console.log(line);

async function main(): Promise<number> {
  const t0 = performance.now();
  const parameters = {
    renders: envInt('BENCH_RENDERS', 15),
    decisions: envInt('BENCH_DECISIONS', 30),
    listSize: envInt('BENCH_LIST_SIZE', 200),
    listQueries: envInt('BENCH_LIST_QUERIES', 10),
    stepsAtListSize: envInt('BENCH_STEPS_AT_LIST_SIZE', 5),
  };
  const fill = (process.env.BENCH_FILL ?? 'clone') as FillMode;
  if (fill !== 'clone' && fill !== 'api') throw new Error(`BENCH_FILL must be "clone" or "api", got "${String(fill)}".`);
  const results: BenchResults = { startedAt: new Date().toISOString(), complete: false, machine: machineFacts(), parameters: { ...parameters, fill }, phasesMs: {} };
  /** Wall time of each phase, in ms, recorded in the results. */
  const phase = async <T>(name: string, what: string, fn: () => Promise<T>): Promise<T> => {
    log(what);
    const t = performance.now();
    try {
      return await fn();
    } finally {
      results.phasesMs[name] = Math.round(performance.now() - t);
      log(`  … ${(results.phasesMs[name] / 1000).toFixed(1)} s`);
    }
  };

  log(`Juece bench: ${JSON.stringify(results.parameters)}; load average ${results.machine.loadAverageAtStart.join(' ')}`);
  let stack: BenchStack | undefined;
  const onSignal = (sig: string) => {
    console.error(`\n${sig}: stopping the bench stack…`);
    void (stack?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));

  let code = 0;
  try {
    const s = (stack = await phase('setup', 'Starting the throwaway stack…', () => startBenchStack(log)));
    results.setupMs = s.setup;
    results.uiBundleKiB = s.uiBundleKiB;
    log(`  stack at ${s.baseUrl}: ${JSON.stringify(s.setup)}`);

    const renderId = await phase('renderDecision', 'a. A decision through initiation, a draft, drafting and public participation…', () => decisionForRender(s));
    const render = (results.render = await phase('render', `a. The decision view in Chromium, ${parameters.renders} loads…`, async () => measureRender(s.baseUrl, renderId, parameters.renders, await s.cookie('zjj'))));
    results.targets = {
      decisionViewRender: {
        statement: 'The decision view renders the standard definition with all markers in ≤ 1 s.',
        thresholdMs: RENDER_TARGET_MS,
        measuredAs: 'p95 of the wall time from page.goto to main[data-ready="true"]',
        p95Ms: render.wallMs.p95,
        met: render.wallMs.p95 <= RENDER_TARGET_MS,
      },
    };
    results.steps = await phase('steps', `b/c. Step actions and refused attempts over ${parameters.decisions} decisions…`, () => measureSteps(s, parameters.decisions, 1));
    const inReadModel = await phase('fillReadModel', `d. Filling the read model to ${parameters.listSize} decisions (${fill})…`, () => fillReadModel(s, parameters.listSize, 1 + parameters.decisions, fill));
    results.list = await phase('list', `d. List queries, ${parameters.listQueries} rounds…`, () => measureList(s, parameters.listQueries, inReadModel, fill));
    const late = parameters.stepsAtListSize;
    results.stepsAtListSize = await phase('stepsAtListSize', `b/c again over ${late} decisions, with ${inReadModel} in the read model…`, () => measureSteps(s, late, 1 + parameters.decisions + parameters.listSize));
    results.complete = true;
  } catch (err) {
    results.error = String((err as Error)?.message ?? err);
    console.error('\nThe bench could not complete:', (err as Error)?.stack ?? err);
    code = 1;
  } finally {
    if (stack) results.memory = memoryFacts(stack.pids);
    results.machine.loadAverageAtEnd = loadAverage();
    results.durationMs = Math.round(performance.now() - t0);
    const file = writeResults(results);
    printSummary(results, RENDER_TARGET_MS);
    log(`\nmeasured in ${(results.durationMs / 1000).toFixed(1)} s → ${path.relative(process.cwd(), file)} and bench/results/latest.json`);
    log('Stopping the bench stack…');
    await stack?.close();
    log(`Total ${((performance.now() - t0) / 1000).toFixed(1)} s, teardown included.`);
  }
  return code;
}

void main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(String((err as Error)?.message ?? err));
    process.exit(2);
  },
);
