/**
 * The statute catalogue as the API serves it: step kinds, roles, applicability questions and
 * their grounds, reasons with their articles, field and value labels — so the UI and any other
 * client read the same words the guards speak. Public: it is the law, not a record.
 */
import { APPLICABILITY, GROUNDS, KINDS, MATTER_FACTS, REASONS, REFUSAL_CLASSES, ROLE_LABELS, STATUS_LABELS } from '../definitions/statute';
import { CATEGORY_LABELS, FIELD_LABELS, VALUE_LABELS } from '../definitions/labels';
import { route, type Route } from './route-kit';

export const catalogueRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/statute/catalogue',
    summary: 'The statute catalogue: step kinds and articles, roles, applicability questions with the grounds the law names, reason codes with both texts, field and value labels',
    access: { public: 'static' },
    schemas: {},
    handler: async () => ({
      kinds: KINDS,
      roles: ROLE_LABELS,
      statuses: STATUS_LABELS,
      applicability: APPLICABILITY,
      grounds: GROUNDS,
      matterFacts: MATTER_FACTS,
      refusalClasses: REFUSAL_CLASSES,
      reasons: REASONS,
      fields: FIELD_LABELS,
      values: VALUE_LABELS,
      categories: CATEGORY_LABELS,
    }),
  }),
];
