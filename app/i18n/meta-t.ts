// Words of a page's <title> (Remix `meta`, which runs on the server and in the browser and cannot
// use hooks), in the language the root loader chose for the request. One i18next instance with
// every bundled translation, initialised once, as serverT's.
import { createInstance, type TFunction } from 'i18next';
import type { MetaArgs } from '@remix-run/node';
import { asLanguage } from '~/preferences/languages';
import { i18nOptions } from './config';
import type { Namespace } from './resources';

const instance = createInstance();
void instance.init({ ...i18nOptions, lng: i18nOptions.fallbackLng });

/** t() for one namespace in the root loader's language (English when the root has no data, e.g. on an error page). */
export function metaT<N extends Namespace>(matches: MetaArgs['matches'], ns: N): TFunction<N> {
  const root = matches.find((m) => m.id === 'root')?.data as { language?: string } | undefined;
  return instance.getFixedT(asLanguage(root?.language), ns) as TFunction<N>;
}
