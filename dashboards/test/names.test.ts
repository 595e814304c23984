/** Every metric a panel reads is in @o4o/alerting's catalogue or is one of its recording rules. */
import { checkQuery } from '@o4o/alerting';
import { allDashboards } from '../src/boards';
import { panelQueries } from '../src/queries';

const panelExprs = Object.values(allDashboards()).flatMap((d) => panelQueries(d).map((q) => ({ where: `${q.dashboard} / ${q.panel} / ${q.refId}`, expr: q.expr })));

test.each(panelExprs.map((e) => [e.where, e.expr]))('%s parses and reads only known metrics', (_where, expr) => {
  expect(checkQuery(expr)).toEqual({ errors: [], unknownMetrics: [] });
});
