/** The BPMN token interpreter: joins, exclusive conditions, loops, bypassed branches, timers. */
import { fireDueTimers, leaveTask, missingPredecessors, nextTimerDue, pendingServiceTasks, startEngine, startTask, type EngineContext } from '../../workflows/engine';
import { graph } from '../support/graph';

const ctx = (facts: Record<string, unknown> = {}, now = 1000): EngineContext => ({ now, facts, dueAt: (t, at) => at + (t.timer?.isoDuration === 'PT1H' ? 3600_000 : 60_000) });
const status = (s: ReturnType<typeof startEngine>, id: string) => s.elements[id].status;

describe('parallel gateways', () => {
  const p = graph(
    [['s', 'startEvent'], ['split', 'parallelGateway'], ['a', 'userTask'], ['b', 'userTask'], ['join', 'parallelGateway'], ['after', 'userTask'], ['e', 'endEvent']],
    [['s', 'split'], ['split', 'a'], ['split', 'b'], ['a', 'join'], ['b', 'join'], ['join', 'after'], ['after', 'e']],
  );

  test('a split enables every branch', () => {
    const s = startEngine(p, ctx());
    expect([status(s, 'a'), status(s, 'b'), status(s, 'after')]).toEqual(['enabled', 'enabled', 'locked']);
  });

  test('a join waits for every incoming branch', () => {
    const s = startEngine(p, ctx());
    startTask(p, s, 'a', 'x', ctx());
    leaveTask(p, s, 'a', 'x', 'completed', 'completed', ctx());
    expect(status(s, 'after')).toBe('locked');
    expect(missingPredecessors(p, s, 'after')).toEqual(['b']);
    startTask(p, s, 'b', 'x', ctx());
    leaveTask(p, s, 'b', 'x', 'completed', 'completed', ctx());
    expect(status(s, 'after')).toBe('enabled');
    leaveTask(p, s, 'after', 'x', 'completed', 'completed', ctx());
    expect(s.completed).toBe(true);
    expect(s.tokens).toHaveLength(0);
  });
});

describe('exclusive gateways', () => {
  const p = graph(
    [['s', 'startEvent'], ['gw', 'exclusiveGateway'], ['yes', 'userTask'], ['merge', 'exclusiveGateway'], ['end', 'endEvent']],
    [['s', 'gw'], ['gw', 'yes', 'facts.technical'], ['gw', 'merge', undefined, { isDefault: true }], ['yes', 'merge'], ['merge', 'end']],
  );

  test('a true condition takes its flow', () => {
    const s = startEngine(p, ctx({ technical: true }));
    expect(status(s, 'yes')).toBe('enabled');
    expect(s.takenFlows['gw->yes']).toBe(1);
  });

  test('otherwise the default flow is taken and the skipped task shows bypassed', () => {
    const s = startEngine(p, ctx({ technical: false }));
    expect(status(s, 'yes')).toBe('bypassed');
    expect(s.completed).toBe(true);
    expect(s.takenFlows['gw->merge']).toBe(1);
  });

  test('no matching condition and no default is an incident, not a silent pass', () => {
    const q = graph(
      [['s', 'startEvent'], ['gw', 'exclusiveGateway'], ['a', 'userTask'], ['end', 'endEvent']],
      [['s', 'gw'], ['gw', 'a', 'facts.technical'], ['a', 'end']],
    );
    const s = startEngine(q, ctx({ technical: false }));
    expect(s.incidents[0]).toMatch(/no condition matched/);
    expect(s.completed).toBe(false);
  });
});

describe('loops', () => {
  const p = graph(
    [['s', 'startEvent'], ['review', 'userTask', 'legality-review'], ['gw', 'exclusiveGateway'], ['revise', 'userTask', 'revision'], ['decide', 'userTask', 'collective-decision'], ['end', 'endEvent']],
    [['s', 'review'], ['review', 'gw'], ['gw', 'revise', 'outcome.review == "unlawful"'], ['gw', 'decide', undefined, { isDefault: true }], ['revise', 'review'], ['decide', 'end']],
  );

  test('an unlawful outcome loops through revision back to review, which is enabled again', () => {
    const s = startEngine(p, ctx());
    startTask(p, s, 'review', 'r', ctx());
    leaveTask(p, s, 'review', 'r', 'unlawful', 'rework', ctx());
    expect(status(s, 'review')).toBe('rework');
    expect(status(s, 'revise')).toBe('enabled');
    // The way forward is not skipped, only not reached yet.
    expect(status(s, 'decide')).toBe('locked');
    expect(missingPredecessors(p, s, 'decide')).toEqual(['revise']);
    startTask(p, s, 'revise', 'd', ctx());
    leaveTask(p, s, 'revise', 'd', 'completed', 'completed', ctx());
    expect(status(s, 'review')).toBe('enabled');
    expect(s.elements.review.visits).toBe(2);
    startTask(p, s, 'review', 'r', ctx());
    leaveTask(p, s, 'review', 'r', 'lawful', 'completed', ctx());
    expect(status(s, 'decide')).toBe('enabled');
    expect(s.takenFlows['revise->review']).toBe(1);
    // The revision done in the first round keeps its status.
    expect(status(s, 'revise')).toBe('completed');
  });
});

describe('service tasks and timers', () => {
  test('a service task waits for the driver', () => {
    const p = graph([['s', 'startEvent'], ['svc', 'serviceTask', undefined, { activity: 'sealArchive' }], ['end', 'endEvent']], [['s', 'svc'], ['svc', 'end']]);
    const s = startEngine(p, ctx());
    expect(pendingServiceTasks(p, s)).toEqual(['svc']);
    leaveTask(p, s, 'svc', 'system', 'completed', 'completed', ctx());
    expect(s.completed).toBe(true);
  });

  test('a non-interrupting boundary timer marks the task overdue and runs its path, the task stays open', () => {
    const p = graph(
      [['s', 'startEvent'], ['t', 'userTask'], ['due', 'boundaryTimer', undefined, { attachedTo: 't', cancelActivity: false, timer: { isoDuration: 'PT1H' } }], ['notify', 'serviceTask', undefined, { activity: 'notifyOverdue' }], ['e1', 'endEvent'], ['e2', 'endEvent']],
      [['s', 't'], ['t', 'e1'], ['due', 'notify'], ['notify', 'e2']],
    );
    const s = startEngine(p, ctx({}, 0));
    expect(nextTimerDue(s)).toBe(3600_000);
    expect(fireDueTimers(p, s, ctx({}, 10))).toEqual([]);
    expect(fireDueTimers(p, s, ctx({}, 3600_000))).toEqual(['due']);
    expect(s.elements.t.overdue).toBe(true);
    expect(status(s, 't')).toBe('enabled');
    expect(pendingServiceTasks(p, s)).toEqual(['notify']);
  });

  test('completing the task disarms its boundary timer', () => {
    const p = graph(
      [['s', 'startEvent'], ['t', 'userTask'], ['due', 'boundaryTimer', undefined, { attachedTo: 't', cancelActivity: true, timer: { isoDuration: 'PT1H' } }], ['e1', 'endEvent'], ['e2', 'endEvent']],
      [['s', 't'], ['t', 'e1'], ['due', 'e2']],
    );
    const s = startEngine(p, ctx({}, 0));
    leaveTask(p, s, 't', 'x', 'completed', 'completed', ctx({}, 5));
    expect(s.timers).toEqual([]);
    expect(s.completed).toBe(true);
  });

  test('an interrupting boundary timer cancels the task and takes its path', () => {
    const p = graph(
      [['s', 'startEvent'], ['t', 'userTask'], ['due', 'boundaryTimer', undefined, { attachedTo: 't', cancelActivity: true, timer: { isoDuration: 'PT1H' } }], ['after', 'userTask'], ['e1', 'endEvent'], ['e2', 'endEvent']],
      [['s', 't'], ['t', 'e1'], ['due', 'after'], ['after', 'e2']],
    );
    const s = startEngine(p, ctx({}, 0));
    fireDueTimers(p, s, ctx({}, 3600_000));
    expect(status(s, 't')).toBe('bypassed');
    expect(status(s, 'after')).toBe('enabled');
  });

  test('an intermediate timer holds the token until it fires', () => {
    const p = graph([['s', 'startEvent'], ['wait', 'intermediateTimer', undefined, { timer: { isoDuration: 'PT1H' } }], ['t', 'userTask'], ['e', 'endEvent']], [['s', 'wait'], ['wait', 't'], ['t', 'e']]);
    const s = startEngine(p, ctx({}, 0));
    expect(status(s, 't')).toBe('locked');
    fireDueTimers(p, s, ctx({}, 3600_000));
    expect(status(s, 't')).toBe('enabled');
  });
});
