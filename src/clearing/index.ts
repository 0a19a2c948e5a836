// Public surface of clearing: settlement and clearing on BullMQ, compliance reports.

export { ClearingService } from './clearing-service.js';
export type { ClearingServiceOptions, FailedJob } from './clearing-service.js';
export { ClearingWorkers, processorDeps, workerOptions } from './clearing-workers.js';
export type { ClearingWorkersOptions } from './clearing-workers.js';
export type { ClearingObserver, JobAttempt } from './clearing-observer.js';
export { createClearingProcessor } from './clearing-processor.js';
export type { ClearingJobResult, ReportSummary } from './clearing-processor.js';
export type { ClearingReport, ReportInstruction, ReportPosition, ReportSide, ReportTrade } from './clearing-report.js';
export type { DayStatus, PositionRow, ReportListing } from './clearing-store.js';
export { complianceEvents, complianceRows, runComplianceReport } from './compliance-report.js';
export type { ComplianceReport, ComplianceRow, ComplianceQuery } from './compliance-report.js';
export { JOB_END_OF_DAY, JOB_REPORT, JOB_SETTLE, settleJobId } from './clearing-jobs.js';
export type { SettleJobData, ReportJobData } from './clearing-jobs.js';
export { ClearingKeys } from './clearing-keys.js';
export { formatUnits } from './amounts.js';
