import type { OutputFormat } from '../core/campaign.js';
import type { SafeArea } from '../core/layers.js';

/**
 * Channel presets: the pixels, formats, byte cap and unsafe bands of the placements campaigns are
 * made for, each row citing the platform's public spec (docs/presets.md shows this table; a test
 * keeps the two equal). A size names one with `preset:` and may override any field.
 *
 * Byte caps are in bytes, a platform's "KB" read as 1,000 bytes (the stricter reading, so a file
 * within it passes either). Bands are fractions of the frame, so they hold when a size overrides
 * the pixels.
 */
export interface Preset {
  readonly id: string;
  /** The placement, in the platform's words. */
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** What the platform takes, the default first (photographs: JPEG). */
  readonly formats: readonly OutputFormat[];
  readonly maxBytes: number;
  readonly safeAreas: readonly SafeArea[];
  /** The platform's public spec page. */
  readonly source: string;
  /** What the reader should know about a figure (an approximation, a suggestion). */
  readonly note?: string;
}

const band = (name: string, x: number, y: number, width: number, height: number, covers: string): SafeArea => ({ name, x, y, width, height, covers });
const top = (h: number, covers: string) => band('top', 0, 0, 1, h, covers);
const bottom = (h: number, covers: string) => band('bottom', 0, 1 - h, 1, h, covers);
const left = (w: number, covers: string) => band('left', 0, 0, w, 1, covers);
const right = (w: number, covers: string) => band('right', 1 - w, 0, w, 1, covers);

const PHOTO: readonly OutputFormat[] = ['jpeg', 'png'];
const MB = 1_000_000;
/** Stories: the profile picture and progress bar above, the reply bar and call to action below. */
const STORY_BANDS = [top(0.14, 'the profile picture, name and progress bar'), bottom(0.2, 'the call-to-action button and reply bar')];
/** Reels: more of the bottom (caption, call to action) and the edges (the buttons on the right). */
const REELS_BANDS = [top(0.14, 'the header and camera buttons'), bottom(0.35, 'the caption, call to action and audio line'), left(0.06, 'the edge of the screen'), right(0.06, 'the like, comment and share buttons')];
const META_STORY = 'https://www.facebook.com/business/ads-guide/update/image/facebook-story';
const META_REELS = 'https://www.facebook.com/business/ads-guide/update/image/facebook-reels';
const IG_STORY = 'https://www.facebook.com/business/ads-guide/update/image/instagram-story';
const IG_REELS = 'https://www.facebook.com/business/ads-guide/update/image/instagram-reels';
const GOOGLE_DISPLAY = 'https://support.google.com/google-ads/answer/1722096';
const DISPLAY_NOTE = 'Google Ads uploaded image ads and the IAB New Ad Portfolio (https://www.iab.com/guidelines/iab-new-ad-portfolio/): 150 KB';

const display = (width: number, height: number, name: string): Preset => ({
  id: `display-${width}x${height}`,
  name: `${name} (IAB / Google Display)`,
  width,
  height,
  formats: PHOTO,
  maxBytes: 150_000,
  safeAreas: [],
  source: GOOGLE_DISPLAY,
  note: DISPLAY_NOTE,
});

export const PRESETS: readonly Preset[] = [
  { id: 'meta-feed-square', name: 'Facebook Feed, square', width: 1080, height: 1080, formats: PHOTO, maxBytes: 30 * MB, safeAreas: [], source: 'https://www.facebook.com/business/ads-guide/update/image/facebook-feed' },
  { id: 'meta-feed-portrait', name: 'Facebook Feed, portrait 4:5', width: 1080, height: 1350, formats: PHOTO, maxBytes: 30 * MB, safeAreas: [], source: 'https://www.facebook.com/business/ads-guide/update/image/facebook-feed' },
  { id: 'meta-story', name: 'Facebook Stories', width: 1080, height: 1920, formats: PHOTO, maxBytes: 30 * MB, safeAreas: STORY_BANDS, source: META_STORY },
  { id: 'meta-reels', name: 'Facebook Reels', width: 1080, height: 1920, formats: PHOTO, maxBytes: 30 * MB, safeAreas: REELS_BANDS, source: META_REELS },
  { id: 'instagram-feed-square', name: 'Instagram Feed, square', width: 1080, height: 1080, formats: PHOTO, maxBytes: 30 * MB, safeAreas: [], source: 'https://www.facebook.com/business/ads-guide/update/image/instagram-feed' },
  { id: 'instagram-feed-portrait', name: 'Instagram Feed, portrait 4:5', width: 1080, height: 1350, formats: PHOTO, maxBytes: 30 * MB, safeAreas: [], source: 'https://www.facebook.com/business/ads-guide/update/image/instagram-feed' },
  { id: 'instagram-story', name: 'Instagram Stories', width: 1080, height: 1920, formats: PHOTO, maxBytes: 30 * MB, safeAreas: STORY_BANDS, source: IG_STORY },
  { id: 'instagram-reels', name: 'Instagram Reels', width: 1080, height: 1920, formats: PHOTO, maxBytes: 30 * MB, safeAreas: REELS_BANDS, source: IG_REELS },
  {
    id: 'tiktok-infeed',
    name: 'TikTok In-Feed image ad',
    width: 1080,
    height: 1920,
    formats: PHOTO,
    maxBytes: 500_000,
    safeAreas: [top(0.08, 'the Following / For You tabs'), bottom(0.23, 'the caption, sponsored label and call to action'), right(0.14, 'the profile, like, comment and share buttons')],
    source: 'https://ads.tiktok.com/help/article?aid=6701253237862825989',
    note: 'TikTok suggests at most 500 KB and publishes its safe zone as a template overlay, not figures: the bands are the usual reading of it (top 150 px, bottom 440 px, right 150 px of 1080×1920); override safeAreas to match your template',
  },
  { id: 'youtube-thumbnail', name: 'YouTube video thumbnail', width: 1280, height: 720, formats: PHOTO, maxBytes: 2 * MB, safeAreas: [], source: 'https://support.google.com/youtube/answer/72431' },
  { id: 'linkedin-landscape', name: 'LinkedIn single image ad, 1.91:1', width: 1200, height: 627, formats: PHOTO, maxBytes: 5 * MB, safeAreas: [], source: 'https://www.linkedin.com/help/lms/answer/a426534' },
  { id: 'linkedin-square', name: 'LinkedIn single image ad, square', width: 1200, height: 1200, formats: PHOTO, maxBytes: 5 * MB, safeAreas: [], source: 'https://www.linkedin.com/help/lms/answer/a426534' },
  { id: 'x-landscape', name: 'X image ad, 1.91:1', width: 1200, height: 628, formats: PHOTO, maxBytes: 5 * MB, safeAreas: [], source: 'https://business.x.com/en/help/campaign-setup/creative-ad-specifications' },
  { id: 'x-square', name: 'X image ad, square', width: 1200, height: 1200, formats: PHOTO, maxBytes: 5 * MB, safeAreas: [], source: 'https://business.x.com/en/help/campaign-setup/creative-ad-specifications' },
  { id: 'pinterest-pin', name: 'Pinterest standard pin, 2:3', width: 1000, height: 1500, formats: PHOTO, maxBytes: 20 * MB, safeAreas: [], source: 'https://help.pinterest.com/en/business/article/pinterest-product-specs' },
  display(300, 250, 'Medium rectangle (MREC)'),
  display(336, 280, 'Large rectangle'),
  display(728, 90, 'Leaderboard'),
  display(160, 600, 'Wide skyscraper'),
  display(300, 600, 'Half page'),
  display(320, 50, 'Mobile leaderboard'),
  display(320, 100, 'Large mobile banner'),
  display(970, 250, 'Billboard'),
];

const byId = new Map(PRESETS.map((p) => [p.id, p]));

export const presetOf = (id: string): Preset | undefined => byId.get(id);
export const PRESET_IDS: readonly string[] = PRESETS.map((p) => p.id);

/** The table as docs/presets.md shows it, then each note once with the presets it is about. */
export function presetTableMarkdown(): string {
  const size = (b: number) => (b >= MB ? `${b / MB} MB` : `${b / 1000} KB`);
  const pct = (n: number) => `${Math.round(n * 100)}%`;
  const bands = (p: Preset) => p.safeAreas.map((a) => `${a.name} ${pct(a.name === 'left' || a.name === 'right' ? a.width : a.height)}`).join(', ') || '—';
  const rows = PRESETS.map((p) => `| \`${p.id}\` | ${p.name} | ${p.width}×${p.height} | ${p.formats.join(', ')} | ${size(p.maxBytes)} | ${bands(p)} | [${new URL(p.source).hostname}](${p.source}) |`);
  const notes = new Map<string, string[]>();
  for (const p of PRESETS) if (p.note) notes.set(p.note, [...(notes.get(p.note) ?? []), `\`${p.id}\``]);
  return [
    '| Preset | Placement | Pixels | Formats | Byte cap | Unsafe bands | Source |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...[...notes].map(([note, ids]) => `- ${ids.join(', ')}: ${note}.`),
  ].join('\n');
}
