import { onMentorFormSubmitted } from '../../../../src/listeners/views/mentor-loop';
import { fakeBolt, fakeDeps } from '../fake-bolt';

const submission = (text: string, metadata = '{"learningId":12}') => ({
  body: { user: { id: 'U1' } },
  view: { private_metadata: metadata, state: { values: { mentor_text: { mentor_text: { type: 'plain_text_input', value: text } } } } },
});

describe("the mentor's forms through Bolt's arguments", () => {
  it('an empty reply keeps the form open with the message under the text, before the database is read', async () => {
    const { deps } = fakeDeps();
    const { ack } = fakeBolt();
    await onMentorFormSubmitted(deps, 'reply')({ ack, ...submission('   ') } as never);
    expect(ack).toHaveBeenCalledWith({ response_action: 'errors', errors: { mentor_text: 'Please write a reply, or press Cancel.' } });
  });

  it('a note that cannot be stored throws without acknowledging, so the form stays open and Bolt\'s error handler runs', async () => {
    const { deps } = fakeDeps();
    const { ack } = fakeBolt();
    await expect(onMentorFormSubmitted(deps, 'not_yet')({ ack, ...submission('Try the timeline next time') } as never)).rejects.toThrow('the database is down');
    expect(ack).not.toHaveBeenCalled();
  });
});
