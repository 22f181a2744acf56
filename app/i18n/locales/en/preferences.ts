// The operator's own settings: time zone and language.
export const preferences = {
  title: 'Preferences',
  forWhom: 'For {{email}}, in every tenant.',
  timeZone: 'Time zone',
  zoneExplained: 'Every date of the console is written in this zone, with its name: now is',
  notChosen: 'Not chosen yet: your browser’s zone is stored the first time it is sent.',
  browserZone: 'Your browser is in {{zone}}.',
  language: 'Language',
  languageExplained: 'The console’s words, in every tenant; pages before sign-in follow the browser’s language.',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved.',
  unchanged: 'Nothing to change.',
} as const;
