// sha-256, the one thing the image code takes from Node (node:crypto): the hw-spec hash check in
// read.ts and imageHash. Kept in one file so that a browser build swaps only this.
import { createHash } from 'node:crypto';

/** sha-256 of the bytes, as 64 lower-case hex digits. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
