import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { frameHeaderLength, frameHeaderRoom, framePayload, writeTextFrameHeader } from './ws-frame.js';

// ws exports its Sender at runtime (engine.io frames with it); @types/ws does not declare it.
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] } };

describe('pre-encoded text frame headers', () => {
  // Each length class of RFC 6455 (7-bit, 16-bit, 64-bit), at its edges: byte-identical to what ws frames.
  for (const length of [0, 1, 125, 126, 127, 65535, 65536, 70000]) {
    it(`matches ws Sender.frame for a ${length}-byte payload`, () => {
      const payload = Buffer.alloc(length, 0x61);
      const expected = Buffer.concat(Sender.frame(payload, { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }));
      const room = frameHeaderRoom(length);
      const buf = Buffer.alloc(3 + room + length, 0xee);
      payload.copy(buf, 3 + room);
      const at = writeTextFrameHeader(buf, 3 + room, length);
      expect(3 + room - at).toBe(frameHeaderLength(length));
      expect(buf.subarray(at)).toEqual(expected);
      expect(buf.subarray(0, at).every((b) => b === 0xee)).toBe(true); // nothing written before the header
      expect(Buffer.from(framePayload(buf.subarray(at)))).toEqual(payload); // and the payload found behind it
    });
  }
});
