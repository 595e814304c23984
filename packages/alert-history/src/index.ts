export { parseConfig, DEFAULTS } from './config';
export type { HistoryConfig } from './config';
export { historyRecords, parsePayload, InvalidPayloadError } from './records';
export { startHistoryServer } from './server';
export type { HistoryServer, HistoryServerOptions } from './server';
export { startAlertHistory } from './service';
export type { AlertHistoryService } from './service';
export type { HistoryRecord, WebhookAlert, WebhookPayload } from './types';
