import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { templateStrings, type Lang } from '../i18n.js';
import { packageRoot } from '../paths.js';

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

export type TemplateName = 'reminder' | 'update-form' | 'message' | 'qa-review' | 'qa-queue' | 'sample-review' | 'history' | 'digest' | 'confirm-update' | 'evidence-choice' | 'evidence-stored';

const templates = new Map<TemplateName, ACData.Template>();

export const TEMPLATE_DIR = join(packageRoot, 'adaptive-cards');

/**
 * Expands a JSON template from adaptive-cards/ with `data` as `$root`, and its words (`${t.…}`) from the resource
 * file of `lang` (locales/), filled in with the card's values.
 */
export function expandTemplate(name: TemplateName, data: object, lang: Lang = 'en'): AdaptiveCard {
  let template = templates.get(name);
  if (!template) {
    template = new ACData.Template(JSON.parse(readFileSync(join(TEMPLATE_DIR, `${name}.json`), 'utf8')));
    templates.set(name, template);
  }
  return template.expand({ $root: { ...data, t: templateStrings(name, lang, data) } }) as AdaptiveCard;
}

/** Teams rejects cards over about 28 KB; keep headroom for the activity around the card. */
export const CARD_BYTE_BUDGET = 26_000;

export function cardBytes(card: object): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
