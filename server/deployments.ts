/**
 * Definition deployments: every definition version this process loads is recorded in the store
 * (`definitions`, keyed by the hash of its XML) when it is first deployed — before any decision
 * runs on it — so the hash chains seal the exact BPMN each decision ran (activities/audit-chain.ts).
 */
import type { Models } from '../activities/models';
import type { DefinitionEntry } from './route-kit';

/** Record each loaded definition version once (insert-once; a later start changes nothing). */
export async function recordDeployments(models: Models, definitions: Map<string, DefinitionEntry>): Promise<void> {
  for (const { procedure: p, xml } of definitions.values())
    await models.Definition.updateOne({ _id: p.hash }, { $setOnInsert: { key: p.key, version: p.version, name: p.name, xml, storedAt: new Date() } }, { upsert: true }).catch((err: { code?: number }) => {
      if (err.code !== 11000) throw err;
    });
}
