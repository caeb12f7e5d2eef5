export type {
  RequestAttributeKeys,
  RequestCellStore,
  RequestInstrumentDescription,
  RequestMetricsRecorder,
  RequestMetricsSpec,
} from './request-cells.js';
export { REQUEST_CELLS, requestCellStoreOf } from './request-cells.js';
