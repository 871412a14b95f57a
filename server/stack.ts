/**
 * Composition shared by `npm start`, the separate api/worker entries and the tests:
 * connect to Temporal and the store, load definitions and the calendar.
 */
import { Client, Connection } from '@temporalio/client';
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
  const { conn, models } = await connectStore(o.mongoUri, o.mongoDb);
  const connection = await Connection.connect({ address: o.temporalAddress });
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
