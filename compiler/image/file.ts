// Images on disk. saveImage writes atomically (a temp file in the same folder, then rename), so
// a crash or a full disk never leaves a half-written image under the real name; loadImage turns
// every file-system problem into a FileProblemsError like the other loaders.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileProblemsError } from '../common/errors.js';
import type { Image } from './types.js';
import { writeImage } from './write.js';
import { readImage } from './read.js';

/** Sizes and offsets are u32: no image is larger. */
const MAX_IMAGE_BYTES = 0xffffffff;
/** Makes temp names unique within this process (two saves in one millisecond). */
let saves = 0;

/** Writes the image to `path` atomically; returns its bytes. */
export function saveImage(path: string, image: Image): Uint8Array {
  const bytes = writeImage(image);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.${saves++}.tmp`);
  try {
    const fd = openSync(tmp, 'wx');
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // it may not exist
    }
    throw new FileProblemsError(path, [fsProblem(e as NodeJS.ErrnoException, 'written')]);
  }
  return bytes;
}

/** Reads and checks the image at `path`. */
export function loadImage(path: string): Image {
  return loadImageWithBytes(path).image;
}

/** Reads and checks the image at `path`; also returns its bytes (for its hash). */
export function loadImageWithBytes(path: string): { image: Image; bytes: Uint8Array } {
  let bytes: Uint8Array;
  try {
    const size = statSync(path).size;
    if (size > MAX_IMAGE_BYTES) {
      throw new FileProblemsError(path, [{ path: '', message: `${size} bytes is larger than any nla image (at most 4 GiB)`, fix: 'give the path of a .nlaimg file written by nla compile' }]);
    }
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof FileProblemsError) throw e;
    throw new FileProblemsError(path, [fsProblem(e as NodeJS.ErrnoException, 'read')]);
  }
  return { image: readImage(bytes, path), bytes };
}

function fsProblem(e: NodeJS.ErrnoException, verb: 'read' | 'written'): { path: string; message: string; fix: string } {
  switch (e.code) {
    case 'ENOENT':
      return verb === 'read'
        ? { path: '', message: 'file not found', fix: `check the path (relative paths start at ${process.cwd()})` }
        : { path: '', message: 'its folder does not exist', fix: 'create the folder first or choose another path' };
    case 'EISDIR':
      return { path: '', message: 'is a directory, not an image file', fix: 'give the path of a .nlaimg file' };
    case 'EACCES':
    case 'EPERM':
      return { path: '', message: `cannot be ${verb} (permission denied)`, fix: 'check the permissions of the file and its folder' };
    case 'ENOSPC':
      return { path: '', message: `cannot be ${verb} (no space left on the device)`, fix: 'free some space and try again' };
    default:
      return { path: '', message: `cannot be ${verb} (${e.message})`, fix: 'check the path and the file' };
  }
}
