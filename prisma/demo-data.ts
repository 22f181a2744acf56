// The demo tenants (the seed's four companies) and demo staff, shared by the seed and the README.
import type { Role } from '../generated/prisma/enums';

export const DEMO_PASSWORD = 'vigie-demo-2026';

export const DEMO_TENANTS = [
  { id: 'cartflow', name: 'CartFlow' },
  { id: 'datasync', name: 'DataSync' },
  { id: 'teamboard', name: 'TeamBoard' },
  { id: 'craftmarket', name: 'CraftMarket' },
] as const;

const ALL = DEMO_TENANTS.map((t) => t.id);

export const DEMO_STAFF: { email: string; name: string; roles: Record<string, Role> }[] = [
  { email: 'admin@vigie.demo', name: 'Alice Admin', roles: Object.fromEntries(ALL.map((t) => [t, 'admin'])) },
  { email: 'support@vigie.demo', name: 'Sam Support', roles: { datasync: 'support', cartflow: 'support', teamboard: 'support' } },
  { email: 'oncall@vigie.demo', name: 'Olga Oncall', roles: Object.fromEntries(ALL.map((t) => [t, 'oncall'])) },
  { email: 'finance@vigie.demo', name: 'Fabien Finance', roles: { craftmarket: 'finance', cartflow: 'finance' } },
];

export const DEMO_TRIAL_USERS = [
  { id: 'u-1001', name: 'Camille Martin', email: 'camille.martin@example.fr' },
  { id: 'u-1002', name: 'Hugo Bernard', email: 'hugo.bernard@example.fr' },
  { id: 'u-1003', name: 'Léa Dubois', email: 'lea.dubois@example.fr' },
  { id: 'u-1004', name: 'Nathan Petit', email: 'nathan.petit@example.fr' },
  { id: 'u-1005', name: 'Chloé Moreau', email: 'chloe.moreau@example.fr' },
];
