/** The partitioned archive tables, each range-partitioned by day on `key` (migrations 1732400001000/1100). */
export const ARCHIVE_TABLES = [
    { parent: 'events_archive', key: 'ingested_at' },
    { parent: 'embeddings_archive', key: 'event_ingested_at' },
];
/** Day partitions are named `<parent>_pYYYYMMDD` and cover [day 00:00 UTC, next day 00:00 UTC). */
export const partitionName = (parent, day) => `${parent}_p${day.replace(/-/g, '')}`;
export const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** `YYYY-MM-DD` ± n days (pure calendar arithmetic in UTC: no local clock involved). */
export function addDays(day, n) {
    if (!DAY.test(day))
        throw new Error(`bad day ${day}`);
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
}
//# sourceMappingURL=archive-days.js.map