export * from './job-queue.js';
export { InProcessJobQueue } from './inprocess.driver.js';
export { BullMqJobQueue } from './bullmq.driver.js';
export { RecurringJob, type RecurringJobOptions } from './recurring-job.js';
