/**
 * Assessment indicators (考核指标, seed item 50): a yearly report per agency of rates computed
 * from the record, each with its formula and the decisions behind its numerator and denominator
 * (facts of activities/compliance-facts.ts). Decisions are counted in the year their procedure
 * started. The catalogue's publication is a yes or no per decision body, read from the annual
 * catalogues (决策事项目录, activities/catalogue.ts): published means a version went out, which
 * the catalogue's guard allows only after the Party committee consented to exactly its content.
 */
import type { Bilingual } from '../definitions/statute';
import type { Models } from '../activities/models';
import { agenciesOf, countedYears, readCounts, type SupervisionFilter } from './supervision';

interface Part {
  label: Bilingual;
  fact: string;
}

interface IndicatorSpec {
  id: string;
  name: Bilingual;
  formula: Bilingual;
  basis: string;
  numerator?: Part;
  denominator?: Part;
  /** Counted over decision bodies from their catalogues, not over decisions. */
  catalogue?: true;
}

/** Whether a decision body's catalogue of the year is published, and which version when. */
export interface CatalogueStanding {
  agency: string;
  catalogueId: string | null;
  version: number;
  publishedAt: Date | null;
}

const b = (zh: string, en: string): Bilingual => ({ zh, en });

/** The indicators, in the order the report lists them. */
export const INDICATORS: IndicatorSpec[] = [
  {
    id: 'legality-review',
    name: b('合法性审查率', 'Legality review rate'),
    formula: b('经合法性审查后集体讨论通过的决策事项数 ÷ 经集体讨论通过的决策事项数 × 100%', 'Decisions adopted at a meeting after a legality review ÷ decisions adopted at a meeting × 100%'),
    basis: 'Decree 713 Art. 25',
    numerator: { label: b('经合法性审查后通过的', 'adopted after a legality review'), fact: 'ind|legality' },
    denominator: { label: b('经集体讨论通过的', 'adopted at a meeting'), fact: 'decided' },
  },
  {
    id: 'public-participation',
    name: b('公众参与率', 'Public participation rate'),
    formula: b(
      '履行公众参与程序后集体讨论通过的决策事项数 ÷ 应当公众参与的已通过决策事项数（依法认定不适用的除外）× 100%',
      'Decisions adopted after public participation ÷ adopted decisions that required it (those lawfully found exempt left out) × 100%',
    ),
    basis: 'Decree 713 Art. 14',
    numerator: { label: b('履行公众参与程序的', 'with public participation'), fact: 'ind|pp|done' },
    denominator: { label: b('应当公众参与的', 'requiring public participation'), fact: 'ind|pp|required' },
  },
  {
    id: 'catalogue-publication',
    name: b('决策事项目录公布', 'Catalogue publication'),
    formula: b('年度重大行政决策事项目录经同级党委同意后向社会公布（是／否）', "The year's catalogue of decision items published after the Party committee's consent (yes / no)"),
    basis: 'Decree 713 Art. 3(3)',
    catalogue: true,
  },
  {
    id: 'legal-adviser',
    name: b('法律顾问参与率', 'Legal adviser involvement'),
    formula: b(
      '合法性审查意见载明法律顾问、公职律师本人意见的决策事项数 ÷ 经合法性审查的决策事项数 × 100%',
      'Decisions whose legality opinion cites a legal adviser’s or government lawyer’s own opinion ÷ decisions reviewed for legality × 100%',
    ),
    basis: 'Decree 713 Art. 28',
    numerator: { label: b('有法律顾问、公职律师意见的', 'with an adviser’s opinion'), fact: 'adviser' },
    denominator: { label: b('经合法性审查的', 'reviewed for legality'), fact: 'k|legality-review|done' },
  },
  {
    id: 'overdue',
    name: b('超期率', 'Overdue rate'),
    formula: b('有环节超过法定或规定期限的决策事项数 ÷ 本年度启动的决策事项数 × 100%', 'Decisions with a step past its period ÷ decisions started in the year × 100%'),
    basis: 'Decree 713 Arts. 15, 26',
    numerator: { label: b('有环节超期的', 'with a step overdue'), fact: 'late' },
    denominator: { label: b('本年度启动的', 'started in the year'), fact: 'started' },
  },
];

/** One indicator computed on some counts and catalogues: the rate, null without a denominator. */
function compute(spec: IndicatorSpec, counts: readonly Record<string, number>[], catalogues: readonly CatalogueStanding[]) {
  const { id, name, formula, basis } = spec;
  const rate = (n: number, of: number) => (of ? Math.round((n / of) * 10_000) / 10_000 : null);
  if (spec.catalogue) {
    const published = catalogues.filter((c) => c.version > 0).length;
    return { id, name, formula, basis, catalogue: { published, of: catalogues.length, agencies: catalogues }, rate: rate(published, catalogues.length) };
  }
  const n = (fact: string) => counts.reduce((s, c) => s + (c[fact] ?? 0), 0);
  const numerator = { ...spec.numerator!, n: n(spec.numerator!.fact) };
  const denominator = { ...spec.denominator!, n: n(spec.denominator!.fact) };
  return { id, name, formula, basis, numerator, denominator, rate: rate(numerator.n, denominator.n) };
}

/** Each agency's catalogue of the year: its published version (0 when none), the agencies without one included. */
async function catalogueStandings(models: Models, agencies: readonly string[], year: number): Promise<CatalogueStanding[]> {
  const docs = await models.Catalogue.find({ agency: { $in: agencies }, year }, { agency: 1, published: 1, publishedAt: 1 }).lean();
  const of = new Map(docs.map((d) => [d.agency, d]));
  return agencies.map((agency) => {
    const d = of.get(agency);
    return { agency, catalogueId: d ? String(d._id) : null, version: d?.published ?? 0, publishedAt: d?.publishedAt ?? null };
  });
}

/** The year's report: each selected agency's indicators, and all of them together. */
export async function indicatorReport(models: Models, scope: readonly string[], f: SupervisionFilter & { year: number }) {
  const agencies = agenciesOf(scope, f);
  const [docs, catalogues, years] = await Promise.all([readCounts(models, agencies, [f.year]), catalogueStandings(models, agencies, f.year), countedYears(models)]);
  const countsOf = (agency?: string) => docs.filter((d) => !agency || d.agency === agency).map((d) => d.counts);
  const cataloguesOf = (agency?: string) => catalogues.filter((c) => !agency || c.agency === agency);
  return {
    year: f.year,
    years,
    total: INDICATORS.map((spec) => compute(spec, countsOf(), cataloguesOf())),
    agencies: agencies.map((agency) => ({ agency, indicators: INDICATORS.map((spec) => compute(spec, countsOf(agency), cataloguesOf(agency))) })),
  };
}
