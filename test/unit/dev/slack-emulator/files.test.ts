import type { WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../../../../src/dev/slack-emulator';
import { rejection, useStartedEmulator } from './support';

describe('SlackEmulator: files', () => {
  let emu: SlackEmulator;
  let client: WebClient;
  useStartedEmulator((started) => ({ emu, client } = started));

  it('files.uploadV2 of @slack/web-api: upload URL, the bytes, then completion shares the file in the DM', async () => {
    const im = ((await client.conversations.open({ users: 'U0ALICE' })).channel as { id: string }).id;
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x0d, 0x0a]);
    const res = await client.filesUploadV2({ channel_id: im, file: bytes, filename: 'chart.png', title: 'Exposure', initial_comment: 'Here it is' });
    const shared = emu.filesSharedIn('U0ALICE');
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatchObject({ filename: 'chart.png', title: 'Exposure', channel: im, initialComment: 'Here it is', length: 8 });
    expect(shared[0]!.bytes!.equals(bytes)).toBe(true);
    expect((res as unknown as { files: Array<{ files: unknown[] }> }).files[0]!.files).toEqual([{ id: shared[0]!.id, title: 'Exposure' }]);
    expect(emu.callsTo('files.getUploadURLExternal')[0]!.args).toMatchObject({ filename: 'chart.png', length: '8' });
  });

  it('refuses to complete a file never uploaded, or into an unknown channel', async () => {
    const url = await client.files.getUploadURLExternal({ filename: 'x.csv', length: 3 });
    expect(url.upload_url).toMatch(/\/upload\/v1\/F/);
    expect((await rejection(client.files.completeUploadExternal({ files: [{ id: url.file_id! }] }))).data.error).toBe('file_not_found');
    await fetch(url.upload_url!, { method: 'POST', body: 'a,b' });
    expect((await rejection(client.files.completeUploadExternal({ files: [{ id: url.file_id! }], channel_id: 'C0NOPE' }))).data.error).toBe('channel_not_found');
    expect((await rejection(client.files.getUploadURLExternal({ filename: 'x.csv' } as never))).data.error).toBe('invalid_arguments');
  });
});
