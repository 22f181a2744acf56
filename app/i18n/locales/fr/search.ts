import type { search as en } from '../en/search';
import type { Translation } from '../shape';

export const search: Translation<typeof en> = {
  title: 'Recherche',
  form: {
    label: 'Recherche dans la console',
    input: 'Rechercher dans la console',
    placeholder: 'E-mail, nom ou identifiant',
    hint: 'Un e-mail, un nom, ou un identifiant d’utilisateur, de commande, de passage en caisse, de workflow ou d’incident',
    allTenants: 'tous mes espaces',
    submit: 'Rechercher',
  },
  empty: 'Saisissez un e-mail, un nom, ou un identifiant d’utilisateur, de commande, de passage en caisse, de workflow ou d’incident.',
  nothing: 'Aucun résultat pour « {{q}} » dans cet espace.',
  nothingAll: 'Aucun résultat pour « {{q}} » dans tous vos espaces ({{count}}).',
  matches_one: '{{count}} résultat pour « {{q}} » dans cet espace.',
  matches_other: '{{count}} résultats pour « {{q}} » dans cet espace.',
  matchesAll_one: '{{count}} résultat pour « {{q}} » dans tous vos espaces ({{tenants}}).',
  matchesAll_other: '{{count}} résultats pour « {{q}} » dans tous vos espaces ({{tenants}}).',
  more: 'D’autres résultats existent : précisez la recherche.',
  kinds: {
    trial: 'Utilisateurs en essai',
    payment: 'Paiements',
    incident: 'Incidents financiers',
    checkout: 'Passages en caisse',
    workflow: 'Workflows',
  },
  incidentOn: 'Incident sur la commande {{orderId}}',
  workflowsNotSearched: 'Les identifiants de workflow n’ont pas été cherchés : Temporal n’a pas répondu ({{error}}).',
};
