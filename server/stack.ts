/**
 * Composition shared by `npm start`, the separate api/worker entries and the tests:
 * connect to Temporal and the store, load definitions and the calendar.
 */
import { Client, Connection } from '@temporalio/client';
import { ConfigError } from './config';
import { connectStore } from '../activities/models';
import { loadCalendar } from '../definitions/calendars';
import { loadDefinitions } from '../definitions/compiler';
import type { AppDeps, DefinitionEntry } from './routes';

export interface StackOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  mongoUri: string;
  mongoDb: string;
}

/** Everything the API needs, connected. */
export async function connectApiDeps(o: StackOptions): Promise<AppDeps & { close(): Promise<void>; store: Awaited<ReturnType<typeof connectStore>>['conn'] }> {
  const { conn, models } = await connectStore(o.mongoUri, o.mongoDb).catch((err) => {
    throw new ConfigError(
      `Cannot reach the document store at ${redact(o.mongoUri)}: ${(err as Error).message}. ` +
        'Check that MongoDB is running and MONGODB_URI is right, or unset MONGODB_URI to use the embedded FerretDB.',
    );
  });
  const connection = await Connection.connect({ address: o.temporalAddress, connectTimeout: 5000 }).catch(async (err) => {
    await conn.close();
    throw new ConfigError(
      `Cannot reach Temporal at ${o.temporalAddress}: ${(err as Error).message}. ` +
        'Check that the Temporal frontend is running and TEMPORAL_ADDRESS is right, or unset TEMPORAL_ADDRESS to use the embedded dev server.',
    );
  });
  const client = new Client({ connection, namespace: o.namespace });
  const compiled = await loadDefinitions();
  const definitions = new Map<string, DefinitionEntry>([...compiled].map(([k, v]) => [k, { procedure: v.procedure, xml: v.xml }]));
  return {
    client,
    models,
    store: conn,
    taskQueue: o.taskQueue,
    namespace: o.namespace,
    definitions,
    calendar: loadCalendar(),
    close: async () => {
      await connection.close();
      await conn.close();
    },
  };
}

/** A connection string without its password, safe to print. */
export function redact(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
