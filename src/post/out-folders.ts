/**
 * The folders a campaign's finish writes under out/<campaign> beside the deliveries, named here
 * alone so that what only needs their names (a kept outcome's footprint) loads neither sharp nor
 * the typesetter.
 */
export const THUMBS_DIR = 'thumbs';
export const FONTS_DIR = 'fonts';
