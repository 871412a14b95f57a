/**
 * Replay-only interceptors of the offline proof verifier (scripts/proof/replay.ts bundles them
 * with the workflows; workers never load them). While a decision's history replays they report,
 * through a sink called during replay:
 * - every accepted act, with the verdict of its own update validator — the statutory guards —
 *   run again on the replayed state at the act's workflow time;
 * - every projection the workflow wrote: the summary, audit events and records the read model got.
 * Reporting changes nothing the workflow does: sinks make no commands, and the validator gets a
 * copy of the act, so the handler runs exactly as in any replay.
 */
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { ProjectionDelta } from './model';

/** One accepted act as the replay saw it. */
export interface ReplayedAct {
  updateId: string;
  /** act, draft, event, opinion or material (workflows/handles.ts). */
  name: string;
  args: unknown[];
  /** Workflow time when it was handled. */
  at: number;
  /** False when the validator could not be found (an SDK without the registry it reads). */
  checked: boolean;
  /** The guards' refusal, had the act been attempted on this state now; null when they accept it. */
  refused: { message: string; reasons: unknown } | null;
}

export interface ProofSinks extends Sinks {
  proof: {
    act(act: ReplayedAct): void;
    projection(delta: ProjectionDelta): void;
  };
}

const { proof } = proxySinks<ProofSinks>();

type Validator = (...args: unknown[]) => void;

/**
 * The validator registered for an update. The SDK keeps its handlers in the workflow's activator
 * (an internal of @temporalio/workflow 1.x, read defensively): no public API runs a validator
 * during replay, where Temporal skips validators.
 */
function validatorOf(name: string): Validator | null {
  const activator = (globalThis as { __TEMPORAL_ACTIVATOR__?: { updateHandlers?: Map<string, { validator?: Validator }> } }).__TEMPORAL_ACTIVATOR__;
  return activator?.updateHandlers?.get(name)?.validator ?? null;
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async handleUpdate(input, next) {
        const validator = validatorOf(input.name);
        let refused: ReplayedAct['refused'] = null;
        if (validator) {
          try {
            validator(...(JSON.parse(JSON.stringify(input.args)) as unknown[]));
          } catch (err) {
            const e = err as { message?: string; details?: unknown[] };
            refused = { message: String(e.message), reasons: e.details?.[0] ?? null };
          }
        }
        proof.act({ updateId: input.updateId, name: input.name, args: input.args, at: Date.now(), checked: validator !== null, refused });
        return next(input);
      },
    },
  ],
  outbound: [
    {
      async scheduleLocalActivity(input, next) {
        if (input.activityType === 'projectDecision') proof.projection(input.args[0] as ProjectionDelta);
        return next(input);
      },
    },
  ],
});
