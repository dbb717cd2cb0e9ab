import { readFileSync } from 'node:fs';
import { writeContactSheets, type SheetTile } from '../../src/post/contact-sheet.js';

/**
 * Child process of the post-processing scenario: draws the contact sheets for the tiles in
 * argv[2] into argv[3], alone in its process so its peak RSS is the sheet's (plus Node and
 * libvips), and prints {ms, pages} as JSON.
 */
const [tilesFile, outDir] = process.argv.slice(2);
if (!tilesFile || !outDir) throw new Error('usage: post-sheet-worker <tiles.json> <outDir>');
const tiles = JSON.parse(readFileSync(tilesFile, 'utf8')) as SheetTile[];
const started = performance.now();
const pages = await writeContactSheets(tiles, { title: 'bench · post-processing · contact sheet', outDir });
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, pages: pages.length })}\n`);
