// How the onboarding workflow tells the sales team a trial user needs a hand (J+3).

export interface SalesAlert {
  idempotencyKey: string;
  tenantId: string;
  workflowId: string;
  utilisateurId: string;
  email: string;
  raison: string;
}

export interface SalesAlerter {
  alert(alert: SalesAlert): Promise<{ id: string }>;
}
