// Permissions are data: each role grants a list of strings; one helper checks them.
export const ROLES = ['support', 'finance', 'oncall', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  'read:workflow': ['support', 'finance', 'oncall', 'admin'],
  'read:trial': ['support', 'oncall', 'admin'],
  'signal:workflow': ['support', 'oncall', 'admin'],
  'cancel:workflow': ['oncall', 'admin'],
  'terminate:workflow': ['oncall', 'admin'],
  'reset:workflow': ['oncall', 'admin'],
  'read:payment': ['finance', 'oncall', 'admin'],
  'refund:payment': ['finance', 'admin'],
  'reconcile:payment': ['finance', 'admin'],
  'read:audit': ['oncall', 'admin', 'finance'],
  'manage:staff': ['admin'],
  'manage:apikey': ['admin'],
  'edit:preferences': ['support', 'finance', 'oncall', 'admin'], // one's own time zone and language
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

// What each permission lets a person do, in a refusal's words: app/i18n/locales/*/common.ts, permission.*.

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
