import type { common as en } from '../en/common';
import type { Translation } from '../shape';

export const common: Translation<typeof en> = {
  brand: 'Vigie',
  nav: {
    main: 'Principal',
    menu: 'Menu',
    dashboard: 'Tableau de bord',
    workflows: 'Workflows',
    checkouts: 'Passages en caisse',
    kanban: 'Erreurs kanban',
    trials: 'Utilisateurs en essai',
    payments: 'Paiements',
    audit: 'Journal d’audit',
    admin: 'Administration',
    preferencesTitle: '{{email}} : fuseau horaire et langue',
    signOut: 'Se déconnecter',
  },
  loading: 'Chargement…',
  error: {
    notFound: 'Introuvable',
    notAllowed: 'Non autorisé',
    status: 'Erreur {{status}}',
    ours: 'Une erreur s’est produite de notre côté. Elle a été journalisée.',
    back: 'Retour à la console',
  },
};
