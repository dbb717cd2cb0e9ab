import type { Locale, ResolvedCampaign, Variant } from '../../src/core/campaign.js';

/** A valid in-memory campaign for pure-stage tests; override what the test is about. */
export function campaignFixture(overrides: Partial<ResolvedCampaign> = {}): ResolvedCampaign {
  const variants: Variant[] = [
    { id: 'hero', fields: { scene: 'a bottle in a splash' } },
    { id: 'lifestyle', fields: { scene: 'a runner at dawn' } },
  ];
  const locales: Locale[] = [
    { tag: 'en-US', language: 'English', direction: 'ltr', strings: { headline: 'HYDRATION, REFINED', copy: 'Smart tracking.' } },
    { tag: 'de-DE', language: 'German', direction: 'ltr', strings: { headline: 'HYDRATION, VERFEINERT', copy: 'Intelligente Anzeige.' } },
  ];
  return {
    name: 'demo',
    dir: '/virtual/campaigns/demo',
    file: '/virtual/campaigns/demo/campaign.yaml',
    provider: 'local',
    model: 'seedream-4.5',
    template: { file: '/virtual/templates/poster.hbs', source: 'Poster of {{brand}}: {{scene}}. Text in {{language}}: "{{headline}}"' },
    partialsDir: '/virtual/templates/partials',
    partials: [],
    references: [],
    vars: { brand: 'AQUA//ONE' },
    variants,
    locales,
    sizes: [
      { id: 'square', width: 1080, height: 1080 },
      { id: 'square-small', width: 600, height: 600 },
      { id: 'story', width: 1080, height: 1920 },
    ],
    output: { format: 'png', quality: 90 },
    providerOptions: {},
    locations: {},
    ...overrides,
  };
}
