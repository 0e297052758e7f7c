import { createHash } from 'node:crypto';
import { jobIdFor, JOB_ID_NAMESPACE } from '../../../src/flows/prompt-flow';

/** RFC 9562 section 5.5 by hand: SHA-1 of the namespace's 16 bytes and the name, version and variant set. */
function rfcV5(name: string, namespace: string): string {
  const bytes = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

describe('jobIdFor', () => {
  it('the hand-made v5 above gives the published value for hello.example.com in the DNS namespace', () => {
    // The example in the uuid package's README, computed there by the same algorithm.
    expect(rfcV5('hello.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('fdda765f-fc57-5604-a269-52a7df8164ec');
  });

  it('is the version 5 UUID of the ledger key in the Smokejumper namespace', () => {
    const key = 'prompt:C0INC:U0LEARN:2';
    expect(jobIdFor(key)).toBe(rfcV5(key, JOB_ID_NAMESPACE));
    expect(jobIdFor(key)).toBe('4ff7d766-f356-57d2-b6f4-c804fc3e39c1');
    expect(jobIdFor(key)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differs per key and is the same for the same key', () => {
    expect(jobIdFor('reflection:C1:U1')).toBe(jobIdFor('reflection:C1:U1'));
    expect(jobIdFor('reflection:C1:U1')).not.toBe(jobIdFor('reflection:C1:U2'));
  });
});
