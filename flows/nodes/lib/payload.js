'use strict';
/**
 * Payloads on the wire are JSON objects. What comes in is checked here and a bad one is described by
 * a short reason, never by its content: a payload may carry personal data (a phone number), and the
 * reason ends up in the log.
 */
const MAX_PAYLOAD_BYTES = 64 * 1024;

function parseObject(buffer) {
  if (buffer.length > MAX_PAYLOAD_BYTES) return { ok: false, reason: `payload larger than ${MAX_PAYLOAD_BYTES} bytes` };
  let value;
  try {
    value = JSON.parse(buffer.toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'not a JSON object' };
  return { ok: true, value };
}

/** The first of `fields` that is not a non-empty string, or undefined when all are. */
function missingString(obj, fields) {
  return fields.find((f) => typeof obj[f] !== 'string' || obj[f] === '');
}

module.exports = { MAX_PAYLOAD_BYTES, parseObject, missingString };
