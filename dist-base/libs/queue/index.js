export * from './job-queue.js';
export { InProcessJobQueue } from './inprocess.driver.js';
export { BullMqJobQueue } from './bullmq.driver.js';
export { RecurringJob } from './recurring-job.js';
//# sourceMappingURL=index.js.map