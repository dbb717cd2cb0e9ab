import sharp from 'sharp';
import { loadFonts, typeset, type FontLibrary, type LayerSpec, type RawImage } from '../../src/typeset/index.js';

/** One headline per script the engine promises, with the tesseract language that reads it. */
export const SCRIPT_SAMPLES = [
  { locale: 'en-US', ocr: 'eng', text: 'Hydration, refined' },
  { locale: 'de-DE', ocr: 'deu', text: 'Trinken, verfeinert für Größe' },
  { locale: 'el-GR', ocr: 'ell', text: 'Ενυδάτωση, εκλεπτυσμένη' },
  { locale: 'ru-RU', ocr: 'rus', text: 'Увлажнение нового уровня' },
  { locale: 'ar-SA', ocr: 'ara', text: 'ترطيب مثالي كل يوم' },
  { locale: 'he-IL', ocr: 'heb', text: 'לחות מושלמת בכל יום' },
  { locale: 'hi-IN', ocr: 'hin', text: 'स्मार्ट तापमान ट्रैकिंग' },
  { locale: 'bn-BD', ocr: 'ben', text: 'স্মার্ট তাপমাত্রা ট্র্যাকিং' },
  { locale: 'ta-IN', ocr: 'tam', text: 'ஸ்மார்ட் வெப்பநிலை கண்காணிப்பு' },
  { locale: 'th-TH', ocr: 'tha', text: 'ความชุ่มชื่นที่สมบูรณ์แบบ' },
  { locale: 'lo-LA', ocr: 'lao', text: 'ການດື່ມນ້ຳທີ່ສະຫຼາດ' },
  { locale: 'km-KH', ocr: 'khm', text: 'ការផឹកទឹកឆ្លាតវៃ' },
  { locale: 'am-ET', ocr: 'amh', text: 'ብልህ የሙቀት መከታተያ' },
  { locale: 'ko-KR', ocr: 'kor', text: '스마트 온도 추적' },
  { locale: 'ja-JP', ocr: 'jpn', text: '水分補給をもっと賢く' },
  { locale: 'zh-CN', ocr: 'chi_sim', text: '智能温度追踪' },
  { locale: 'zh-TW', ocr: 'chi_tra', text: '智慧溫度追蹤' },
  { locale: 'zh-HK', ocr: 'chi_tra', text: '智能溫度追蹤' },
] as const;

export const RTL = new Set(['ar-SA', 'he-IL']);

let shared: FontLibrary | undefined;
/** One library per test file: fonts are read once. */
export function fonts(): FontLibrary {
  shared ??= loadFonts({});
  return shared;
}

/** A fresh RGBA image of one colour (the typesetter draws into it in place). */
export async function solid(width: number, height: number, colour: string): Promise<RawImage & { data: Buffer }> {
  const data = await sharp({ create: { width, height, channels: 3, background: colour } }).ensureAlpha().raw().toBuffer();
  return { data, width, height, channels: 4 };
}

/** RGBA pixels as PNG bytes. */
export async function png(image: RawImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } }).png().toBuffer();
}

/** A region of RGBA pixels as PNG bytes. */
export async function crop(image: RawImage, r: { x: number; y: number; width: number; height: number }): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } }).extract({ left: r.x, top: r.y, width: r.width, height: r.height }).png().toBuffer();
}

/** A headline set white on a dark 1080×320 image, one line, start-aligned. */
export async function headline(text: string, locale: string, extra: Partial<LayerSpec['style']> = {}) {
  const layer: LayerSpec = {
    field: 'headline',
    text,
    locale,
    direction: RTL.has(locale) ? 'rtl' : 'ltr',
    box: { x: 40, y: 40, width: 1000, height: 240 },
    style: { size: { min: 24, max: 72 }, maxLines: 1, color: '#ffffff', ...extra },
  };
  const result = typeset(await solid(1080, 320, '#14213d'), [layer], fonts());
  return { ...result, layer: result.layers[0]! };
}

/** The background colour `headline` and `solid(…, '#14213d')` use. */
export const BG = [0x14, 0x21, 0x3d];

export async function raw(image: Buffer | RawImage) {
  if (!Buffer.isBuffer(image)) return { data: Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), width: image.width, height: image.height };
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Bounding box of the pixels that differ from the background colour. */
/** `threshold`: summed channel difference that counts as ink (0: any antialiasing at all). */
export function inkBounds(img: { data: Uint8Array; width: number; height: number }, bg = BG, threshold = 24) {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      if (Math.abs(img.data[i]! - bg[0]!) + Math.abs(img.data[i + 1]! - bg[1]!) + Math.abs(img.data[i + 2]! - bg[2]!) > threshold) {
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
      }
    }
  }
  return { x0, y0, x1, y1 };
}

/** Mean absolute grey difference of two same-sized greyscale crops, 0-255. */
export async function greyDiff(a: Buffer | RawImage, b: Buffer | RawImage): Promise<number> {
  const [x, y] = await Promise.all([a, b].map(async (p) => sharp(Buffer.isBuffer(p) ? p : await png(p)).greyscale().raw().toBuffer()));
  let sum = 0;
  for (let i = 0; i < x!.length; i++) sum += Math.abs(x![i]! - y![i]!);
  return sum / x!.length;
}
