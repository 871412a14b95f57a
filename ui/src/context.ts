/**
 * What every part of the decision workspace shares about the decision on screen: its live view,
 * what the reader may do on it (from the server's `viewer` block), and how a part reports an
 * accepted act so the whole workspace redraws from the state it returned.
 */
import type { DecisionView } from '../../workflows/model';
import { canAct, type Scope, type Viewer } from './roles';

/** GET /api/decisions/:id: the live view plus what its reader may do. */
export type Viewed = DecisionView & { viewer?: Viewer };

export interface DecisionContext {
  id: string;
  scope: () => Scope;
  closed: () => boolean;
  /** The roles the server says the signed-in person may act in on this decision. */
  actAs: () => readonly string[];
}

export interface Workspace extends DecisionContext {
  view: () => DecisionView;
  viewer: () => Viewer;
  /** May the reader change the decision acting in one of these roles (and is its file open)? */
  may: (roles: readonly string[]) => boolean;
  /** An act was accepted: release the panel and redraw from the view it returned, or from the view fetched afresh. */
  settle: (view?: DecisionView) => Promise<void>;
  /** An attempt was refused: only the timeline has news. */
  audited: () => Promise<void>;
  /** Keep the side panel as it is while a form is open in it (live updates would redraw it); released, it redraws. */
  hold: (on: boolean) => void;
}

/** The context for the decision on screen, reading the current state through `get`. */
export function workspaceOf(id: string, get: () => { view: DecisionView; viewer: Viewer }, on: Pick<Workspace, 'settle' | 'audited' | 'hold'>): Workspace {
  const ws: Workspace = {
    id,
    view: () => get().view,
    viewer: () => get().viewer,
    scope: () => get().view.meta,
    closed: () => get().view.status === 'completed',
    actAs: () => get().viewer.actAs,
    may: (roles) => !ws.closed() && canAct(roles, get().viewer.actAs, get().view.meta).ok,
    ...on,
  };
  return ws;
}
