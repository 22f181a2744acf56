// The onboarding emails (seed case 2), rendered as plain text. Template names are wire names:
// they are part of each email's idempotency key and shown in statutDetaillé.

export const TEMPLATES = ['bienvenue-trial', 'guide-démarrage', 'aide-activation', 'mi-parcours', 'dernier-rappel-trial', 'trial-expiré'] as const;
export type TemplateEmail = (typeof TEMPLATES)[number];

export interface RenderedEmail {
  subject: string;
  text: string;
}

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function renderEmail(template: string, variables: Record<string, unknown>): RenderedEmail {
  const prénom = text(variables.prénom) || 'bonjour';
  switch (template as TemplateEmail) {
    case 'bienvenue-trial':
      return { subject: 'Bienvenue dans votre essai', text: `Bonjour ${prénom},\n\nVotre essai de 14 jours commence aujourd'hui.` };
    case 'guide-démarrage':
      return { subject: 'Premiers pas : le guide de démarrage', text: `Bonjour ${prénom},\n\nVoici comment activer votre première synchronisation.` };
    case 'aide-activation':
      return { subject: "Besoin d'aide pour démarrer ?", text: `Bonjour ${prénom},\n\nUn membre de notre équipe peut vous accompagner.` };
    case 'mi-parcours': {
      const fonctionnalités = text(variables.fonctionnalités);
      return {
        subject: 'Mi-parcours de votre essai',
        text: `Bonjour ${prénom},\n\nIl vous reste ${text(variables.joursRestants)} jours d'essai.${fonctionnalités ? ` Vous utilisez déjà : ${fonctionnalités}.` : ''}`,
      };
    }
    case 'dernier-rappel-trial':
      return { subject: 'Votre essai se termine bientôt', text: `Bonjour ${prénom},\n\nPlus que ${text(variables.joursRestants)} jours pour souscrire.` };
    case 'trial-expiré':
      return { subject: 'Votre essai est terminé', text: `Bonjour ${prénom},\n\nVotre essai est arrivé à son terme. Vous pouvez souscrire à tout moment.` };
    default:
      throw new RangeError(`unknown email template: ${template}`);
  }
}
