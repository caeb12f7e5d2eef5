export type { SettleWithinLabels } from './deadline.js';
export { settleWithin } from './deadline.js';
