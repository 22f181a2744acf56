// What the console's one search box finds, in the order its result page groups them. A plain
// module: the result page (browser) and app/search/search.server.ts share it.
export const HIT_KINDS = ['trial', 'payment', 'incident', 'checkout', 'workflow'] as const;
export type HitKind = (typeof HIT_KINDS)[number];

export const HIT_KIND_LABELS: Record<HitKind, string> = {
  trial: 'Trial users',
  payment: 'Payments',
  incident: 'Finance incidents',
  checkout: 'Checkouts',
  workflow: 'Workflows',
};

/** Longest query the box sends (the longest id, a workflow id, is 255: nobody types more). */
export const SEARCH_MAX = 255;
