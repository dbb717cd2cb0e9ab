/**
 * Layer composition: everything drawn over a generated background, in the campaign's order — text
 * (set by typeset/), image files (a logo: SVG rasterised at the delivered size, PNG never scaled up)
 * and shapes (a rectangle of colour) — and the recipe that makes a delivered file from its image.
 * It imports typeset/, image/ and core/ only; post/ (delivery), plan/ (checks, approvals) and
 * providers/local (proof labels) use it.
 *
 * - placement (place.ts): each layer of a size for one locale, in pixels, mirrored for
 *   right-to-left locales where asked, with the locale's text or image file.
 * - text (text.ts): a placed text layer in the typesetter's terms, and the copy-fit of an asset.
 * - drawing (draw.ts, raster.ts): the compositor a delivery draws with; fonts (fonts.ts).
 * - recipe (recipe.ts): the hash of what makes a delivered file; its path under out/<campaign>.
 */
export { compositorFor, createCompositor, type Compositor, type Drawn } from './draw.js';
export { fontsFor, notoFonts } from './fonts.js';
export { boundPx, fileFor, imageRect, layersOf, pixelBox, placeImage, placeLayer, placeShape, placedLayers, textOnly } from './place.js';
export { blendInto, type Overlay, type RawPixels } from './raster.js';
export { assetPath, deliveryRecipe, extensionOf, POST_VERSION, TYPESET_VERSION, type CutSettings, type RecipeInput } from './recipe.js';
export { engineSpec, fitAssetLayers, minContrastFor, plateContrast, type KeptFits } from './text.js';
