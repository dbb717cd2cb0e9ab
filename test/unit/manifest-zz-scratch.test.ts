import { it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { findCampaigns, loadCampaign } from '../../src/manifest/load.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { renderPrompts } from '../../src/render/prompts.js';

it('dump', async () => {
  let total = 0;
  for (const file of await findCampaigns('/work/main')) {
    try {
      const c = await loadCampaign(file, { projectRoot: '/work/main' });
      const cells = renderPrompts(c, buildMatrix(c));
      total += cells.length;
      console.log(c.name, cells.length, c.locales.map((l) => `${l.tag}/${l.language}/${l.direction}`).join(' '));
      for (const i of [0, cells.length - 1]) console.log('  >', cells[i]!.prompt);
    } catch (e) { console.log(file, e instanceof InputError ? e.problems : e); }
  }
  console.log('total', total);
});
