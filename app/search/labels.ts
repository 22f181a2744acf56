// What the console's one search box finds, in the order its result page groups them. A plain
// module: the result page (browser) and app/search/search.server.ts share it.
export const HIT_KINDS = ['trial', 'payment', 'incident', 'checkout', 'workflow'] as const;
export type HitKind = (typeof HIT_KINDS)[number];

// Each kind's heading: app/i18n/locales/*/search.ts, kinds.*.

/** Longest query the box sends (the longest id, a workflow id, is 255: nobody types more). */
export const SEARCH_MAX = 255;
