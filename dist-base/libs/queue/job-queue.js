export const JOB_QUEUE = Symbol('JOB_QUEUE');
//# sourceMappingURL=job-queue.js.map