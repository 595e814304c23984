/** Fixed datasource uids, the same as in provisioning/datasources/o4o.yaml. */
export const DATASOURCES = Object.freeze({
  prometheus: { type: 'prometheus', uid: 'prometheus' },
  jaeger: { type: 'jaeger', uid: 'jaeger' },
  logs: { type: 'elasticsearch', uid: 'logs' },
});
