// The console's shared words: the top bar, the root error page, the loading indicator.
export const common = {
  brand: 'Vigie',
  nav: {
    main: 'Main',
    menu: 'Menu',
    dashboard: 'Dashboard',
    workflows: 'Workflows',
    checkouts: 'Checkouts',
    kanban: 'Kanban errors',
    trials: 'Trial users',
    payments: 'Payments',
    audit: 'Audit log',
    admin: 'Admin',
    preferencesTitle: '{{email}}: time zone and language',
    signOut: 'Sign out',
  },
  loading: 'Loading…',
  error: {
    notFound: 'Not found',
    notAllowed: 'Not allowed',
    status: 'Error {{status}}',
    ours: 'Something went wrong on our side. The error was logged.',
    back: 'Back to the console',
  },
} as const;
