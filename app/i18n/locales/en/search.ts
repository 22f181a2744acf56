// The console's one search box (top bar) and its result page.
export const search = {
  title: 'Search',
  form: {
    label: 'Console search',
    input: 'Search the console',
    placeholder: 'Email, name or id',
    hint: 'An email, a name, or a user, order, checkout, workflow or incident id',
    allTenants: 'all my tenants',
    submit: 'Search',
  },
  empty: 'Type an email, a name, or a user, order, checkout, workflow or incident id.',
  nothing: 'Nothing matches for “{{q}}” in this tenant.',
  nothingAll: 'Nothing matches for “{{q}}” in all your tenants ({{count}}).',
  matches_one: '{{count}} match for “{{q}}” in this tenant.',
  matches_other: '{{count}} matches for “{{q}}” in this tenant.',
  matchesAll_one: '{{count}} match for “{{q}}” in all your tenants ({{tenants}}).',
  matchesAll_other: '{{count}} matches for “{{q}}” in all your tenants ({{tenants}}).',
  more: 'More match: type more of it.',
  kinds: {
    trial: 'Trial users',
    payment: 'Payments',
    incident: 'Finance incidents',
    checkout: 'Checkouts',
    workflow: 'Workflows',
  },
  incidentOn: 'Incident on order {{orderId}}',
  workflowsNotSearched: 'Workflow ids were not searched: Temporal did not answer ({{error}}).',
} as const;
