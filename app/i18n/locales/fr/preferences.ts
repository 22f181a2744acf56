import type { preferences as en } from '../en/preferences';
import type { Translation } from '../shape';

export const preferences: Translation<typeof en> = {
  title: 'Préférences',
  forWhom: 'Pour {{email}}, dans tous vos espaces.',
  timeZone: 'Fuseau horaire',
  zoneExplained: 'Chaque date de la console est écrite dans ce fuseau, avec son nom : il est',
  notChosen: 'Pas encore choisi : le fuseau de votre navigateur est enregistré la première fois qu’il est envoyé.',
  browserZone: 'Votre navigateur est en {{zone}}.',
  language: 'Langue',
  languageExplained: 'La langue de la console, dans tous vos espaces ; les pages avant la connexion suivent la langue du navigateur.',
  save: 'Enregistrer',
  saving: 'Enregistrement…',
  saved: 'Enregistré.',
  unchanged: 'Rien à modifier.',
};
