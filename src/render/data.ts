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

/**
 * templateData with the campaign's share worked out once: a campaign renders thousands of cells.
 * `allStrings` keeps the fields text layers set (alt text describes the asset, copy included).
 */
export function templateDataOf(campaign: ResolvedCampaign, allStrings = false): (cell: Cell) => Readonly<Record<string, unknown>> {
  const typeset = new Set(allStrings ? [] : (campaign.text?.fields ?? []));
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
 * looked renders the same prompt for every size of its variant and locale. Only the data's own
 * names exist for the template: `{{constructor}}` or `{{size.toString}}` is "not defined", as any
 * other unknown name, rather than an inherited one that Handlebars blocks and renders as nothing.
 */
export function watchSize(data: Readonly<Record<string, unknown>>): { readonly data: Readonly<Record<string, unknown>>; readonly sizeSeen: () => boolean } {
  let seen = false;
  const note = (key: string | symbol) => {
    if (key === 'size') seen = true;
  };
  const watched = new Proxy(data, {
    get(target, key, receiver) {
      note(key);
      return ownGet(target, key, receiver);
    },
    has(target, key) {
      note(key);
      return hasOwnName(target, key);
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

const hasOwnName = (target: object, key: string | symbol) => (typeof key === 'symbol' ? Reflect.has(target, key) : Object.hasOwn(target, key));

/** A frozen property must read as itself (a proxy's invariant); anything else is wrapped. */
function ownGet(target: object, key: string | symbol, receiver: unknown): unknown {
  const value: unknown = Reflect.get(target, key, receiver);
  if (typeof value !== 'object' || value === null) return value;
  const d = Reflect.getOwnPropertyDescriptor(target, key);
  return d && !d.configurable && !d.writable ? value : ownOnly(value);
}

const OWN_ONLY: ProxyHandler<object> = { get: ownGet, has: hasOwnName };
const wrapped = new WeakMap<object, unknown>();

/** Nested mappings and lists with only their own names visible to the template's `in` checks. */
function ownOnly(value: object): unknown {
  let proxy = wrapped.get(value);
  if (proxy === undefined) wrapped.set(value, (proxy = new Proxy(value, OWN_ONLY)));
  return proxy;
}
