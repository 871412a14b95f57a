/**
 * Composition shared by `npm start`, the separate api/worker entries and the tests:
 * connect to Temporal and the store, load definitions and the calendar.
 */
import { Client, Connection, isRetryableError, makeGrpcRetryInterceptor } from '@temporalio/client';
import { ConfigError } from './config';
import { connectStore } from '../activities/models';
import { loadCalendar } from '../definitions/calendars';
import { loadDefinitions } from '../definitions/compiler';
import type { AppDeps, DefinitionEntry } from './routes';
import { recordDeployments } from './deployments';

export interface StackOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  mongoUri: string;
  mongoDb: string;
}

/**
 * Temporal's gRPC retries for the API: the SDK's default waits double up to 5 s, so a call past
 * its deadline could sleep well beyond it before failing (and without a deadline it retried for
 * ~19 s while Temporal was down). Here the waits stay under 200 ms — an overloaded server
 * (RESOURCE_EXHAUSTED) still gets its 1 s — and a call gives up after 10 tries, about 2 s.
 */
export const apiGrpcRetry = makeGrpcRetryInterceptor({
  retryableDecider: (attempt, status) => attempt < 10 && isRetryableError(status),
  delayFunction: (attempt, status) => (status.code === 8 ? 1000 : Math.min(200, 100 * 1.7 ** attempt)) * (0.8 + Math.random() * 0.4),
});

/**
 * A Temporal that was down is tried again within 2 s of its return (grpc-js would otherwise wait
 * up to two minutes between attempts after a long outage).
 */
const RECONNECT = { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2000 };

/** Everything the API needs, connected. */
export async function connectApiDeps(o: StackOptions): Promise<AppDeps & { close(): Promise<void>; store: Awaited<ReturnType<typeof connectStore>>['conn'] }> {
  const { conn, models } = await connectStore(o.mongoUri, o.mongoDb).catch((err) => {
    throw new ConfigError(
      `Cannot reach the document store at ${redact(o.mongoUri)}: ${(err as Error).message}. ` +
        'Check that MongoDB is running and MONGODB_URI is right, or unset MONGODB_URI to use the embedded FerretDB.',
    );
  });
  const connection = await Connection.connect({ address: o.temporalAddress, connectTimeout: 5000, interceptors: [apiGrpcRetry], channelArgs: RECONNECT }).catch(async (err) => {
    await conn.close();
    throw new ConfigError(
      `Cannot reach Temporal at ${o.temporalAddress}: ${(err as Error).message}. ` +
        'Check that the Temporal frontend is running and TEMPORAL_ADDRESS is right, or unset TEMPORAL_ADDRESS to use the embedded dev server.',
    );
  });
  const client = new Client({ connection, namespace: o.namespace });
  // Lazy: it connects on its first probe, which only a slow call makes.
  const probeConnection = Connection.lazy({ address: o.temporalAddress, interceptors: [], channelArgs: RECONNECT });
  const temporalProbe = new Client({ connection: probeConnection, namespace: o.namespace });
  const compiled = await loadDefinitions();
  const definitions = new Map<string, DefinitionEntry>([...compiled].map(([k, v]) => [k, { procedure: v.procedure, xml: v.xml }]));
  await recordDeployments(models, definitions);
  return {
    client,
    models,
    store: conn,
    taskQueue: o.taskQueue,
    namespace: o.namespace,
    definitions,
    calendar: loadCalendar(),
    temporalProbe,
    close: async () => {
      await probeConnection.close();
      await connection.close();
      await conn.close();
    },
  };
}

/** A connection string without its password, safe to print. */
export function redact(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
