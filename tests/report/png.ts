// Just enough of PNG to tell a rendered page from a blank one: 8-bit RGB or RGBA, not interlaced
// (what Chromium's --screenshot writes). Returns how many pixels are not white and how many
// distinct colours a sample of the pixels has.
import { inflateSync } from 'node:zlib';

export interface PngStats {
  width: number;
  height: number;
  /** fraction of pixels that are not (near) white */
  inked: number;
  /** distinct colours among every 7th pixel */
  colours: number;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function pngStats(bytes: Buffer): PngStats {
  if (bytes.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < bytes.length) {
    const len = bytes.readUInt32BE(pos);
    const type = bytes.toString('ascii', pos + 4, pos + 8);
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colour}, interlace ${interlace}`);
      channels = colour === 6 ? 4 : 3;
    }
    if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? px[y * stride + x - channels]! : 0;
      const b = y > 0 ? px[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels]! : 0;
      const pred = filter === 4 ? paeth(a, b, c) : [0, a, b, (a + b) >> 1][filter]!;
      px[y * stride + x] = (v + pred) & 255;
    }
  }
  let inked = 0;
  const colours = new Set<number>();
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = [px[i * channels]!, px[i * channels + 1]!, px[i * channels + 2]!];
    if (r < 240 || g < 240 || b < 240) inked++;
    if (i % 7 === 0) colours.add((r << 16) | (g << 8) | b);
  }
  return { width, height, inked: inked / (width * height), colours: colours.size };
}
