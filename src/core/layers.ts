/**
 * The layer vocabulary beyond text: image layers (a logo, a badge: SVG or PNG files of the project)
 * and shapes (a rectangle of colour), drawn with the text layers over the generated background, in
 * the order the campaign lists them, and the bands of a channel's frame that its app covers.
 * Plain readonly data.
 */
import type { FractionBox, PixelBox, PlacedLayer, SizeBound, TextAlign, TextLayer, TextVAlign } from './text.js';

/** A band of the frame the channel's UI covers (a story's profile bar, a reel's buttons), in fractions. */
export interface SafeArea {
  /** `top`, `bottom`, `right`...: how errors name it. */
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** What covers it, in words (`profile picture and progress bar`). */
  readonly covers: string;
}

/** An image layer's file as read at load time: its bytes are part of each delivered file's recipe (by sha256). */
export interface LayerFile {
  /** As written in campaign.yaml, relative to the campaign folder. */
  readonly path: string;
  readonly sha256: string;
  readonly format: 'svg' | 'png';
  /** Intrinsic pixels (an SVG's at 72 dpi). */
  readonly width: number;
  readonly height: number;
  readonly bytes: Uint8Array;
}

export type ImageFit = 'contain' | 'cover';

export interface ImageLayer {
  readonly kind: 'image';
  /** How per-size overrides (`sizes[].layers.<id>`) and errors name it; default `image<N>`. */
  readonly id: string;
  /** Index in the campaign's `layers` (or `text.layers`). */
  readonly index: number;
  /** `default`, and files per locale tag or language (`ar-SA`, `ar`). */
  readonly files: Readonly<Record<string, LayerFile>>;
  readonly box: FractionBox;
  readonly fit: ImageFit;
  /** Logical: `start` is the right edge in right-to-left locales. */
  readonly align: TextAlign;
  readonly valign: TextVAlign;
  readonly mirror: boolean;
  /** A bitmap drawn larger than its pixels: refused unless true. */
  readonly upscale: boolean;
}

export interface ShapeLayer {
  readonly kind: 'shape';
  readonly id: string;
  readonly index: number;
  readonly shape: 'rect';
  readonly box: FractionBox;
  /** `#RRGGBB` or `#RRGGBBAA`. */
  readonly color: string;
  /** Corner radius: px, or a fraction of the box's shorter side. */
  readonly radius: SizeBound;
  readonly mirror: boolean;
}

export type CampaignLayer = TextLayer | ImageLayer | ShapeLayer;

export interface CampaignLayers {
  /** Delivery size id -> its layers in drawing order (a size may leave a layer out). */
  readonly bySize: Readonly<Record<string, readonly CampaignLayer[]>>;
}

/** An image layer on one asset: the file for its locale, the box in pixels (mirrored where asked), alignment made visual. */
export interface PlacedImage {
  readonly kind: 'image';
  readonly id: string;
  /** The file as written (per-locale files: the one chosen). */
  readonly file: string;
  /** Of the file's bytes: a new logo changes the delivered file's recipe, never the generation. */
  readonly sha256: string;
  readonly box: PixelBox;
  readonly fit: ImageFit;
  readonly align: 'left' | 'center' | 'right';
  readonly valign: TextVAlign;
}

export interface PlacedShape {
  readonly kind: 'shape';
  readonly id: string;
  readonly shape: 'rect';
  readonly box: PixelBox;
  readonly color: string;
  /** Pixels. */
  readonly radius: number;
}

/** Any layer placed on one asset: what delivery draws and hashes into the recipe. */
export type PlacedAny = PlacedLayer | PlacedImage | PlacedShape;

export const isPlacedText = (p: PlacedAny): p is PlacedLayer => p.kind !== 'image' && p.kind !== 'shape';
export const isTextLayer = (l: CampaignLayer): l is TextLayer => l.kind !== 'image' && l.kind !== 'shape';

/** An image layer as drawn, for the manifest. */
export interface DrawnImageEntry {
  readonly id: string;
  readonly file: string;
  readonly sha256: string;
  /** Where its pixels went (inside its box). */
  readonly box: PixelBox;
}
