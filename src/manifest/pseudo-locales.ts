import type { Locale, ResolvedCampaign, SourceLocation } from '../core/campaign.js';
import { parseLocaleTag } from './locales.js';
import { PSEUDO_LOCALES, pseudoLocale, type PseudoLocale } from '../typeset/locale.js';

/**
 * `--locale en-XA` / `--locale ar-XB` on a campaign that does not define them: a stress locale
 * derived from the source locale (accented and 40 % longer; mirrored right to left), so overflow
 * and mirroring show before translations arrive. Its problems are located at the source's strings.
 */
export function withPseudoLocales(campaign: ResolvedCampaign, wanted: readonly string[] | undefined): ResolvedCampaign {
  const kinds = PSEUDO_LOCALES.filter(
    (kind) => wanted?.some((w) => w.toLowerCase() === kind.toLowerCase()) && !campaign.locales.some((l) => l.tag.toLowerCase() === kind.toLowerCase()),
  );
  const source = campaign.locales.find((l) => l.tag === campaign.text?.source) ?? campaign.locales[0];
  if (kinds.length === 0 || !source) return campaign;
  const locations: Record<string, SourceLocation> = { ...campaign.locations };
  const prefix = `locales.${source.tag}`;
  const added = kinds.map((kind): Locale => {
    for (const [path, loc] of Object.entries(campaign.locations)) {
      if (path === prefix || path.startsWith(`${prefix}.`)) locations[`locales.${kind}${path.slice(prefix.length)}`] = loc;
    }
    return pseudo(kind, source);
  });
  return { ...campaign, locales: [...campaign.locales, ...added], locations };
}

function pseudo(kind: PseudoLocale, source: Locale): Locale {
  const parsed = parseLocaleTag(kind);
  const strings = Object.fromEntries(Object.entries(source.strings).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return {
    tag: kind,
    language: 'problem' in parsed ? kind : parsed.language,
    direction: 'problem' in parsed ? 'ltr' : parsed.direction,
    strings: pseudoLocale(kind, strings),
  };
}
