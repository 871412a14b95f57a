/** My work (server/my-work.ts): the lists, and their counts for the header. */
import { z } from 'zod';
import { myWork } from './my-work';
import { route, type Route } from './route-kit';

export const workRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/my-work',
    summary: '待办 (waiting for me), 已办 (done by me) and 我发起的 (started by my unit): each decision with what is next and who holds it, from the read model',
    access: { user: true },
    schemas: { query: z.object({}) },
    handler: async (_i, { principal, deps }) => myWork(deps.models, principal!),
  }),
  route({
    method: 'get',
    path: '/api/my-work/counts',
    summary: 'How many decisions wait for me, I acted on, and my unit started (the header)',
    access: { user: true },
    schemas: {},
    handler: async (_i, { principal, deps }) => (await myWork(deps.models, principal!)).counts,
  }),
];
