import { LANGUAGES, type Language } from '../../../shared/settlement-keys';
import { translate, type MessageKey } from './messages';

const STORAGE_KEY = 'kassebro.language';

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  return (LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as Language) : 'nb';
}

/** The UI language: Norwegian bokmål unless the user picked another; remembered on this machine. */
export const i18n = $state({ language: initialLanguage() });

export function setLanguage(language: Language): void {
  i18n.language = language;
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(i18n.language, key, params);
}

const LOCALES: Readonly<Record<Language, string>> = { nb: 'nb-NO', sv: 'sv-SE', en: 'en-GB' };

export function locale(): string {
  return LOCALES[i18n.language];
}
