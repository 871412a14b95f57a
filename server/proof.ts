/**
 * The proof bundle of one decision: everything `npm run juece -- verify-decision` needs to
 * confirm, offline and without trusting this system, that the procedure was followed — the
 * decision's Temporal event history, its audit chain (every event with its links, and each
 * event's link in the system's chain), and the definition version it ran (the BPMN and its hash).
 * One JSON file: readable by anyone, diffable, no archive format to trust.
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { decisionChain, refOf, SYSTEM_CHAIN, type Link } from '../activities/audit-hash';
import { ApiError } from './errors';
import { queryState, workflowId, type AppDeps } from './route-kit';

export const PROOF_FORMAT = 'juece-proof/1';

export interface ProofBundle {
  format: typeof PROOF_FORMAT;
  exportedAt: string;
  exportedBy: string;
  decision: { id: string; workflowId: string; title: string; agency: string; status: string };
  /** The definition version the decision ran: its stored deployment (key, version, BPMN XML…) and that deployment's system link. */
  definition: { hash: string; document: Record<string, unknown>; deployment: Link | null };
  /** The workflow's event history, as `temporal workflow show -o json` prints it. */
  history: unknown;
  audit: {
    chain: string;
    /** The decision's chain, in order. */
    links: Link[];
    /** Every audit event of the decision as stored (sealed ones carry their links' copies). */
    events: Record<string, unknown>[];
    /** Each event's link in the system chain: where it sits among everything the system recorded. */
    systemLinks: Link[];
  };
}

const LINK_FIELDS = ['chain', 'seq', 'ref', 'sealedAt', 'digest', 'prev', 'hash', 'fields'] as const;
const asLink = (doc: Record<string, unknown>): Link => Object.fromEntries(LINK_FIELDS.filter((k) => k in doc).map((k) => [k, doc[k]])) as unknown as Link;

/** Build the bundle of decision `id` (404 when there is none). */
export async function buildProofBundle(deps: AppDeps, id: string, exportedBy: string): Promise<ProofBundle> {
  const view = await queryState(deps, id);
  const { models } = deps;
  const chain = decisionChain(id);
  const systemLinkOf = async (ref: string) => {
    const doc = await models.AuditLink.findOne({ claim: `${SYSTEM_CHAIN}@${ref}` }).lean();
    return doc ? asLink(doc as unknown as Record<string, unknown>) : null;
  };
  const [history, links, events, definition] = await Promise.all([
    deps.client.workflow.getHandle(workflowId(id)).fetchHistory(),
    models.AuditLink.find({ chain }).lean(),
    models.AuditEvent.find({ decisionId: id }).lean(),
    models.Definition.findById(view.procedure.hash).lean(),
  ]);
  if (!definition) throw new ApiError('NOT_FOUND', `The definition version ${view.procedure.hash} of decision ${id} is not stored.`);
  const systemLinks: Link[] = [];
  for (let i = 0; i < events.length; i += 16)
    systemLinks.push(...(await Promise.all(events.slice(i, i + 16).map((e) => systemLinkOf(refOf('audit_events', e._id))))).filter((l): l is Link => l !== null));
  return {
    format: PROOF_FORMAT,
    exportedAt: new Date().toISOString(),
    exportedBy,
    decision: { id, workflowId: workflowId(id), title: view.meta.title, agency: view.meta.agency, status: view.status },
    definition: { hash: view.procedure.hash, document: definition as unknown as Record<string, unknown>, deployment: await systemLinkOf(refOf('definitions', view.procedure.hash)) },
    history: JSON.parse(historyToJSON(history)),
    audit: {
      chain,
      links: (links as unknown as Record<string, unknown>[]).map(asLink).sort((a, b) => a.seq - b.seq),
      events: (events as unknown as Record<string, unknown>[]).sort((a, b) => String(a._id).localeCompare(String(b._id))),
      systemLinks,
    },
  };
}
