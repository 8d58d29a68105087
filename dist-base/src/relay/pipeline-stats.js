export const newPipelineStats = () => ({ received: 0, stored: 0, duplicates: 0, quarantined: 0, skipped: 0, gaps: 0, resent: 0 });
//# sourceMappingURL=pipeline-stats.js.map