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

/** What each permission lets a person do, in the words a refusal uses ("Your role … cannot …"). */
export const PERMISSION_WORDS: Record<Permission, string> = {
  'read:workflow': 'see workflows',
  'read:trial': 'see trial users',
  'signal:workflow': 'send signals to workflows',
  'cancel:workflow': 'cancel workflows',
  'terminate:workflow': 'terminate workflows',
  'reset:workflow': 'reset workflows',
  'read:payment': 'see payments',
  'refund:payment': 'refund payments',
  'reconcile:payment': 'reconcile payments',
  'read:audit': 'read the audit log',
  'manage:staff': 'manage staff',
  'manage:apikey': 'manage API keys',
  'edit:preferences': 'change preferences',
};

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
