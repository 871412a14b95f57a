/**
 * Supervision: the compliance dashboard, the decisions behind each of its figures, the yearly
 * assessment indicators, and their exports — for supervisors over their jurisdiction and for an
 * agency's secretariat over its own agency. The security log's export sits here too.
 */
import { z } from 'zod';
import { chinaDate } from '../workflows/time';
import { EXPORT_FORMATS, sendTables } from './exports';
import { indicatorReport } from './indicators';
import { route, type AppDeps, type Route } from './route-kit';
import { scopeOf } from './scope';
import { SecurityFilterSchema, securityTable } from './security-log';
import { dashboard, decisionsPage, FACT_PATTERN, streamDecisionsBehind } from './supervision';
import { decisionsTable, recordsTable } from './supervision-export';
import type { Principal } from '../activities/people';

const SUPERVISION_ROLES = ['supervisor', 'secretariat'] as const;

const Filter = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('the year decisions started in; all years when absent'),
  agency: z.string().trim().max(200).optional().describe('part of a decision body’s name'),
});
const Fact = z.string().regex(FACT_PATTERN, 'not a dashboard figure').default('started').describe('the figure whose decisions to list, as the dashboard names it (e.g. k|expert-review|na|not-technical)');
const Lang = z.enum(['zh', 'en']).default('zh').describe('language of the column headers');

/** The agencies whose figures this reader may see: a supervisor's jurisdiction, an agency's own. */
const agenciesFor = async (deps: AppDeps, p: Principal) => (await scopeOf(deps, p)).agencies;

const stamp = () => chinaDate(Date.now()).replace(/-/g, '');

export const supervisionRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/supervision/dashboard',
    summary: 'The compliance dashboard per agency and year: decisions started, finished, overdue and due soon; per step kind performed, found not applicable (with grounds), overdue and how long it took; refusals by class; shortened periods; the head against the majority',
    access: { roles: SUPERVISION_ROLES },
    schemas: { query: Filter },
    handler: async ({ query }, { principal, deps }) => dashboard(deps.models, deps.calendar, await agenciesFor(deps, principal!), query),
  }),
  route({
    method: 'get',
    path: '/api/supervision/decisions',
    summary: 'The decisions behind one dashboard figure, newest first, with the reason or duration the figure is about',
    access: { roles: SUPERVISION_ROLES },
    schemas: {
      query: Filter.extend({ fact: Fact, page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50) }),
    },
    handler: async ({ query }, { principal, deps }) => {
      const { total, rows } = await decisionsPage(deps.models, deps.calendar, await agenciesFor(deps, principal!), query, query.fact, query.page, query.pageSize);
      const items = rows.map(({ keys: _k, ...r }) => r);
      return { fact: query.fact, total, page: query.page, pageSize: query.pageSize, items };
    },
  }),
  route({
    method: 'get',
    path: '/api/supervision/indicators',
    summary: 'Assessment indicators of a year per agency (legality review, public participation, catalogue publication, legal advisers, overdue), each with its formula and the facts behind numerator and denominator',
    access: { roles: SUPERVISION_ROLES },
    schemas: { query: Filter },
    handler: async ({ query }, { principal, deps }) =>
      indicatorReport(deps.models, await agenciesFor(deps, principal!), { ...query, year: query.year ?? Number(chinaDate(Date.now()).slice(0, 4)) }),
  }),
  route({
    method: 'get',
    path: '/api/supervision/export',
    summary: 'The decisions behind a dashboard figure and their step records, streamed as Excel (both as sheets) or CSV (one of them)',
    access: { roles: SUPERVISION_ROLES },
    schemas: {
      query: Filter.extend({
        fact: Fact,
        format: z.enum(EXPORT_FORMATS).default('xlsx'),
        what: z.enum(['all', 'decisions', 'records']).default('all').describe('xlsx: both sheets, or one; csv: all means decisions'),
        lang: Lang,
      }),
    },
    handler: async ({ query }, { res, principal, deps }) => {
      const agencies = await agenciesFor(deps, principal!);
      const rows = () => streamDecisionsBehind(deps.models, deps.calendar, agencies, query, query.fact);
      const what = query.format === 'csv' && query.what === 'all' ? 'decisions' : query.what;
      // Excel: the decisions' sheet first, then the records of the decisions it listed.
      const listed: { id: string; title: string }[] = [];
      const tables = what === 'records' ? [recordsTable(deps.models, rows(), query.lang)] : [decisionsTable(rows(), query.lang, listed), ...(what === 'all' ? [recordsTable(deps.models, listed, query.lang)] : [])];
      const base = `${query.lang === 'zh' ? '决策合规' : 'compliance'}-${query.year ?? 'all'}-${query.fact.replace(/\|/g, '_')}-${what}-${stamp()}`;
      await sendTables(res, query.format, base, tables);
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/api/security-events/export',
    summary: 'For supervisors: the security events matching the filters, streamed as Excel or CSV',
    access: { roles: ['supervisor'] },
    schemas: { query: SecurityFilterSchema.extend({ format: z.enum(EXPORT_FORMATS).default('xlsx'), lang: Lang }) },
    handler: async ({ query }, { res, deps }) => {
      await sendTables(res, query.format, `${query.lang === 'zh' ? '安全事件' : 'security-events'}-${stamp()}`, [securityTable(deps.models, query, query.lang)]);
      return undefined;
    },
  }),
];
