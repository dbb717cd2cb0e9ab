import { aspectLabel, orientation, type Locale, type ResolvedCampaign } from '../core/campaign.js';
import type { Cell } from '../core/generation.js';

/**
 * Template data of one cell: vars, then variant fields, then locale strings (later wins), then
 * reserved names. Strings set as text layers are typeset over the image, not asked of the model:
 * the prompt does not see them, so locales can share one background.
 */
export function templateData(campaign: ResolvedCampaign, cell: Cell): Readonly<Record<string, unknown>> {
  return templateDataOf(campaign)(cell);
}

/** templateData with the campaign's share worked out once: a campaign renders thousands of cells. */
export function templateDataOf(campaign: ResolvedCampaign): (cell: Cell) => Readonly<Record<string, unknown>> {
  const typeset = new Set(campaign.text?.fields ?? []);
  const promptStrings = new Map<Locale, Record<string, unknown>>();
  const stringsOf = (locale: Locale) => {
    let strings = promptStrings.get(locale);
    if (!strings) promptStrings.set(locale, (strings = Object.fromEntries(Object.entries(locale.strings).filter(([k]) => !typeset.has(k)))));
    return strings;
  };
  return (cell) => ({
    ...campaign.vars,
    ...cell.variant.fields,
    ...stringsOf(cell.locale),
    campaign: campaign.name,
    variant: cell.variant.id,
    locale: cell.locale.tag,
    language: cell.locale.language,
    size: {
      id: cell.size.id,
      width: cell.size.width,
      height: cell.size.height,
      aspect: aspectLabel(cell.size),
      orientation: orientation(cell.size),
    },
  });
}

/**
 * The data with every look at `size` recorded (read, tested, enumerated): a render that never
 * looked renders the same prompt for every size of its variant and locale.
 */
export function watchSize(data: Readonly<Record<string, unknown>>): { readonly data: Readonly<Record<string, unknown>>; readonly sizeSeen: () => boolean } {
  let seen = false;
  const note = (key: string | symbol) => {
    if (key === 'size') seen = true;
  };
  const watched = new Proxy(data, {
    get(target, key, receiver) {
      note(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
    has(target, key) {
      note(key);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      note(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys(target) {
      seen = true;
      return Reflect.ownKeys(target);
    },
  });
  return { data: watched, sizeSeen: () => seen };
}
