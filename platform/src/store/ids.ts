import { randomFillSync } from 'node:crypto';

/**
 * Crockford base32 in lowercase. It leaves out i, l, o and u, so ids read aloud or copied
 * by hand stay unambiguous. The characters are in ascending byte order, so two ids of
 * equal length compare as the numbers they encode. ICU collations in PostgreSQL also sort
 * digits before lowercase letters, so `ORDER BY id` gives the same order there.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Length of the encoded time part. 10 characters encode 50 bits, enough for 48-bit milliseconds. */
const TIME_LENGTH = 10;

/** Random part of a time-ordered id: 10 bytes (80 bits), 16 characters. */
const RANDOM_BYTES = 10;

const MAX_TIME_MS = 2 ** 48 - 1;

function encodeBytes(bytes: Uint8Array): string {
  let output = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      output += ALPHABET[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) {
    output += ALPHABET[(buffer << (5 - bits)) & 31];
  }
  return output;
}

function encodeTime(timeMs: number): string {
  let output = '';
  let remaining = timeMs;
  for (let index = 0; index < TIME_LENGTH; index += 1) {
    output = ALPHABET[remaining % 32] + output;
    remaining = Math.floor(remaining / 32);
  }
  return output;
}

/**
 * Pool of random bytes, refilled 4 KiB at a time. A call of crypto.randomBytes took about
 * 3 µs on Node.js 20, which shows when ids are made thousands of times per second. The
 * bytes come from the same generator either way.
 */
const randomPool = Buffer.alloc(4096);
let randomPoolOffset = randomPool.length;

/** Copies `target.length` fresh random bytes into `target` and returns it. */
function fillRandom(target: Buffer): Buffer {
  if (randomPoolOffset + target.length > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  randomPool.copy(target, 0, randomPoolOffset, randomPoolOffset + target.length);
  randomPoolOffset += target.length;
  return target;
}

/** Creates an id such as `ws_` followed by 26 characters of 128 random bits. */
export function createRandomId(prefix: string): string {
  return `${prefix}_${encodeBytes(fillRandom(Buffer.alloc(16)))}`;
}

let lastTimeMs = -1;
const lastRandom = Buffer.alloc(RANDOM_BYTES);

/** Adds one to a big-endian byte string. Returns false when the value wraps around to zero. */
function incrementBytes(bytes: Buffer): boolean {
  for (let index = bytes.length - 1; index >= 0; index -= 1) {
    const value = bytes[index] ?? 0;
    if (value < 255) {
      bytes[index] = value + 1;
      return true;
    }
    bytes[index] = 0;
  }
  return false;
}

/**
 * Creates a ULID-like id: the prefix, 10 characters of milliseconds since the epoch, then
 * 16 random characters. Ids made by one process increase strictly, even within one
 * millisecond or when the clock steps back, so `id > cursor` pagination returns new rows
 * after existing ones.
 *
 * NOTE: ids from different processes in the same millisecond interleave in random order,
 * and a host whose clock runs behind creates ids that sort before newer ones elsewhere.
 */
export function createTimeOrderedId(prefix: string): string {
  let timeMs = Math.min(Date.now(), MAX_TIME_MS);
  if (timeMs > lastTimeMs) {
    lastTimeMs = timeMs;
    fillRandom(lastRandom);
  } else {
    timeMs = lastTimeMs;
    if (!incrementBytes(lastRandom)) {
      // 2^80 ids in one millisecond are out of reach in practice, and borrowing the next millisecond keeps the order anyway.
      lastTimeMs += 1;
      timeMs = lastTimeMs;
      fillRandom(lastRandom);
    }
  }
  return `${prefix}_${encodeTime(timeMs)}${encodeBytes(lastRandom)}`;
}

/** Pattern of a time-ordered id with the given prefix, for validating cursors. */
export function timeOrderedIdPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}_[${ALPHABET}]{${TIME_LENGTH + 16}}$`);
}
