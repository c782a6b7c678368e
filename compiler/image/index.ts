// Public API of compiler/image: the Image (the content of a hardware image), its binary form
// .nlaimg (writeImage / readImage, layout in docs/image-format.md), the image identity
// (imageHash) and reading and writing image files (saveImage / loadImage).
export * from './types.js';
export { writeImage } from './write.js';
export { readImage } from './read.js';
export { saveImage, loadImage, loadImageWithBytes } from './file.js';
import { sha256Hex } from './hash.js';

/** sha-256 (64 lower-case hex digits) of an image's bytes: its identity in reports and traces. */
export function imageHash(bytes: Uint8Array): string {
  return sha256Hex(bytes);
}
