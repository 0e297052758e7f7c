import { Client } from 'pg';
import { ResponseUrlSink } from '../../src/dev/slack-emulator';
import { experienceScore, historyOf } from '../../src/domain/experience';
import { buttonPress } from '../helpers/interaction';
import { startHarness, waitUntil, person, type Harness } from '../helpers/harness';
import { itRequiresRealPostgres } from '../helpers/database';
import { settleAfterAck } from '../../src/listeners/after-ack';

const team = [
  person('U0CREATOR', 'Casey'),
  person('U0JUNIOR1', 'Jo'),
  person('U0JUNIOR2', 'Kim'),
  person('U0SENIOR1', 'Sam'),
  person('U0NIGHTLA', 'Lee', 'America/Los_Angeles'),
  person('U0ADMIN01', 'Ada'),
  person('U0GUEST01', 'Gus', 'Europe/Berlin', { is_restricted: true }),
];

const HOUR = 3_600_000;

interface Blockish {
  type: string;
  block_id?: string;
  text?: { text: string };
  accessory?: { action_id: string; value: string };
}
interface Reply {
  text: string;
  blocks: Blockish[];
  response_type?: string;
  replace_original?: boolean;
}

describe('/volunteer, end to end', () => {
  let h: Harness;
  const sink = new ResponseUrlSink();
  let seq = 0;

  beforeAll(async () => {
    await sink.start();
    h = await startHarness({ users: team, env: { ADMIN_USER_IDS: 'U0ADMIN01', INVITES_PER_INCIDENT: '1', MAX_AUTO_INVITES_PER_WEEK: '50' } });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0SENIOR1' }, data: { level: 'senior' } });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0ADMIN01' }, data: { level: 'staff' } });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0CREATOR' }, data: { level: 'mid' } });
    // The roster says who the juniors are (a person it never classified would be `unknown`).
    await h.app.deps.db.engineer.updateMany({ where: { slackId: { in: ['U0JUNIOR1', 'U0JUNIOR2', 'U0NIGHTLA'] } }, data: { level: 'junior', levelSource: 'roster' } });
  });
  afterAll(async () => {
    await h?.stop();
    await sink.stop();
  });

  const db = () => h.app.deps.db;
  const now = () => h.app.deps.clock().getTime();
  const engineer = (slackId: string) => db().engineer.findUniqueOrThrow({ where: { slackId } });
  const answerAt = async (name: string): Promise<Reply> => {
    await waitUntil(() => sink.received.some((r) => r.path === `/response/${name}`), `the answer at response_url ${name}`);
    return sink.received.find((r) => r.path === `/response/${name}`)!.body as Reply;
  };
  const answered = (name: string) => sink.received.some((r) => r.path === `/response/${name}`);

  /** Sends /volunteer; returns the HTTP response and the name of its response_url. */
  async function slash(user: string, text: string) {
    const name = `cmd-${++seq}`;
    const res = await h.sender.command({ user_id: user, text, response_url: sink.url(name) });
    expect(res.status).toBe(200);
    return { res, name, ack: res.body ? (JSON.parse(res.body) as Reply) : null };
  }
  /** A command answered later through response_url: the acknowledgement itself is empty. */
  async function volunteer(user: string, text: string): Promise<Reply> {
    const { res, name } = await slash(user, text);
    expect(res.body).toBe('');
    return answerAt(name);
  }
  /** A command answered in the acknowledgement: nothing ever goes to its response_url. */
  async function quick(user: string, text: string): Promise<Reply> {
    const { ack, name } = await slash(user, text);
    expect(ack).not.toBeNull();
    expect(answered(name)).toBe(false);
    return ack!;
  }
  /**
   * A button as Slack posts it (block_actions, with a response_url): by default in an ephemeral
   * /volunteer reply; `inDm` for one in a DM that stays (the weekly digest, the welcome DM).
   */
  async function press(user: string, actionId: string, value: string, inDm = false): Promise<Reply> {
    const name = await pressOnly(user, actionId, value, inDm);
    return answerAt(name);
  }
  async function pressOnly(user: string, actionId: string, value: string, inDm = false): Promise<string> {
    const name = `btn-${++seq}`;
    const res = await h.sender.interaction(buttonPress(h.emulator.teamId, user, actionId, value, sink.url(name), inDm));
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    return name;
  }
  const buttons = (reply: Reply) => reply.blocks.filter((b) => b.accessory).map((b) => [b.accessory!.action_id, b.accessory!.value]);

  async function openIncident(name: string) {
    const channel = h.emulator.addChannel({ name, creator: 'U0CREATOR' });
    const res = await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: Math.floor(now() / 1000), creator: 'U0CREATOR' } });
    expect(res.status).toBe(200);
    await waitUntil(async () => (await db().incident.count({ where: { channelId: channel.id, selectedAt: { not: null } } })) === 1, `incident ${name} to be opened`);
    const inviteSteps = { OR: [{ key: { startsWith: `invite:${channel.id}:` } }, { key: { startsWith: `welcome-dm:${channel.id}:` } }, { key: `intro:${channel.id}` }] };
    await waitUntil(async () => (await db().delivery.count({ where: { ...inviteSteps, status: { in: ['pending', 'sending'] } } })) === 0, `invites of ${name}`);
    return { channel, incident: await db().incident.findUniqueOrThrow({ where: { channelId: channel.id } }) };
  }

  beforeEach(async () => {
    await db().engineer.updateMany({ data: { volunteerUntil: null, optedOut: false, digestOff: false } });
    h.emulator.clearCalls();
  });

  describe('answered in the acknowledgement, changing nothing', () => {
    it('help lists the subcommands, with the admin ones only for admins', async () => {
      const help = await quick('U0JUNIOR1', 'help');
      expect(help.response_type).toBe('ephemeral');
      expect(help.text).toBe('/volunteer: raise your hand for a fire.');
      expect(help.blocks[1]!.text!.text).toContain('`/volunteer now`');
      expect(help.blocks[1]!.text!.text).not.toContain('admin');
      expect((await quick('U0ADMIN01', 'help')).blocks[1]!.text!.text).toContain('`/volunteer admin report [WEEKS] [team]`');
    });

    it('anything else gets usage with the unknown word quoted back', async () => {
      const usage = await quick('U0JUNIOR1', 'tomorrow morning');
      expect(usage.text).toBe('I don\'t know "tomorrow". Here is what /volunteer understands:');
      expect(usage.blocks[1]!.text!.text).toContain('`/volunteer stats`');
      expect((await quick('U0JUNIOR1', '<!channel> hi')).text).toBe('I don\'t know "&lt;!channel&gt;". Here is what /volunteer understands:');
    });

    it('bad durations get a clear reply and do not change volunteering', async () => {
      for (const [text, start] of [
        ['on 8d', '"8d" is too long: volunteer for at most 7d at a time.'],
        ['on 0h', '"0h" is too short: volunteer for at least 15m.'],
        ['on soon', '"soon" is not a duration.'],
        ['9999999h', '"9999999h" is not a duration.'],
        ['on 1.5h', '"1.5h" is not a duration.'],
      ]) {
        const reply = await quick('U0JUNIOR1', text!);
        expect(reply.text.startsWith(start!)).toBe(true);
        expect(reply.text).toContain('Nothing changed.');
      }
      expect((await engineer('U0JUNIOR1')).volunteerUntil).toBeNull();
    });

    it('refuses admin subcommands to non-admins politely, and changes nothing', async () => {
      for (const text of ['admin level <@U0JUNIOR2|kim> staff', 'admin mentor <@U0JUNIOR2|kim> yes', 'admin report', 'admin report 999', 'admin']) {
        expect((await quick('U0JUNIOR1', text)).text).toBe('Sorry, admin commands are only for the Smokejumper admins. Nothing changed.');
      }
      const kim = await engineer('U0JUNIOR2');
      expect([kim.level, kim.isMentor]).toEqual(['junior', false]);
    });

    it('tells an admin what is wrong with an admin command', async () => {
      expect((await quick('U0ADMIN01', 'admin level @kim senior')).text).toMatch(/^"@kim" is not a mention/);
      expect((await quick('U0ADMIN01', 'admin report 0')).text).toMatch(/^"0" is not a number of weeks/);
    });
  });

  describe('switches', () => {
    it('volunteers for 8 hours by default, or for the duration given, and stops', async () => {
      let before = now();
      const on = await volunteer('U0JUNIOR2', '');
      expect(on.text).toMatch(/^You are volunteering until <!date\^\d+\^/);
      expect(on.blocks[0]!.text!.text).toContain('within your working hours (Mon-Fri 09:00-18:00, Europe/Berlin)');
      let until = (await engineer('U0JUNIOR2')).volunteerUntil!.getTime();
      expect(until).toBeGreaterThanOrEqual(before + 8 * HOUR);
      expect(until).toBeLessThanOrEqual(now() + 8 * HOUR);

      before = now();
      await volunteer('U0JUNIOR2', 'on 90m');
      until = (await engineer('U0JUNIOR2')).volunteerUntil!.getTime();
      expect(until).toBeGreaterThanOrEqual(before + 1.5 * HOUR);
      expect(until).toBeLessThanOrEqual(now() + 1.5 * HOUR);

      expect((await volunteer('U0JUNIOR2', 'off')).text).toBe('You stopped volunteering. Thanks for raising your hand!');
      expect((await engineer('U0JUNIOR2')).volunteerUntil).toBeNull();
      expect((await volunteer('U0JUNIOR2', 'off')).text).toBe('You were not volunteering, so nothing changed.');
    });

    it('says when it is outside the person\'s working hours', async () => {
      const reply = await volunteer('U0NIGHTLA', 'on 2h');
      expect(reply.blocks[0]!.text!.text).toContain('It is outside your working hours now, so invites wait until they start.');
      expect(reply.blocks[0]!.text!.text).toContain('America/Los_Angeles');
    });

    it('opts out and in of automatic invites, and the digest off and on', async () => {
      expect((await volunteer('U0JUNIOR1', 'optout')).text).toBe('Done: you will not be invited automatically any more.');
      expect((await engineer('U0JUNIOR1')).optedOut).toBe(true);
      await volunteer('U0JUNIOR1', 'optin');
      expect((await engineer('U0JUNIOR1')).optedOut).toBe(false);
      expect((await volunteer('U0JUNIOR1', 'digest off')).text).toBe('The weekly digest DM is off. Your fires are still counted.');
      expect((await engineer('U0JUNIOR1')).digestOff).toBe(true);
      expect((await volunteer('U0JUNIOR1', 'digest on')).text).toBe('The weekly digest DM is on again.');
      expect((await engineer('U0JUNIOR1')).digestOff).toBe(false);
    });

    it('looks up someone the roster has not synced yet, and turns away guests', async () => {
      h.emulator.addUser(person('U0NEWHIRE', 'Nia'));
      expect((await volunteer('U0NEWHIRE', 'on 1d')).text).toMatch(/^You are volunteering until/);
      expect(h.emulator.callsTo('users.info').map((c) => c.args.user)).toEqual(['U0NEWHIRE']);
      expect((await engineer('U0NEWHIRE')).volunteerUntil).not.toBeNull();

      expect((await volunteer('U0GUEST01', 'on')).text).toMatch(/^Smokejumper brings members of this workspace to incidents/);
      expect((await engineer('U0GUEST01')).volunteerUntil).toBeNull();
    });

    // A row lock held on one connection stalls every other on the embedded PGlite (one backend for all).
    itRequiresRealPostgres('a row lock on one connection must not stall the others')('acknowledges within Slack\'s 3 seconds while the database is stuck, and answers once it is free', async () => {
      const blocker = new Client({ connectionString: h.database.url });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query(`SELECT 1 FROM engineers WHERE slack_id = 'U0JUNIOR1' FOR UPDATE`);
        const { res, name } = await slash('U0JUNIOR1', 'on 2h');
        expect(res.body).toBe('');
        expect(res.ms).toBeLessThan(3000);
        // The row is still locked, so the work cannot have finished: the ack did not wait for it.
        expect(answered(name)).toBe(false);
        expect((await engineer('U0JUNIOR1')).volunteerUntil).toBeNull();
        await blocker.query('COMMIT');
        expect((await answerAt(name)).text).toMatch(/^You are volunteering until/);
        expect((await engineer('U0JUNIOR1')).volunteerUntil).not.toBeNull();
      } finally {
        await blocker.end();
      }
    });
  });

  describe('stats and admin', () => {
    it('stats counts fires this week, in 4 weeks and in all, by role, and explains the score', async () => {
      const jo = await engineer('U0JUNIOR1');
      const at = (daysAgo: number) => new Date(now() - daysAgo * 24 * HOUR);
      const fires = [
        { name: 'inc-old-a', role: 'learner' as const, at: at(400) },
        { name: 'inc-old-b', role: 'volunteer' as const, at: at(20) },
        { name: 'inc-old-c', role: 'learner' as const, at: at(0.5) },
      ];
      for (const [i, f] of fires.entries()) {
        await db().incident.create({
          data: { channelId: `C0HIST0${i}`, name: f.name, openedAt: f.at, resolvedAt: f.at, participations: { create: { engineerId: jo.id, role: f.role, source: 'auto_invite', invitedAt: f.at, joinedAt: f.at } } },
        });
      }
      const reply = await volunteer('U0JUNIOR1', 'stats');
      expect(reply.text).toBe('You joined 1 fire this week, 2 fires in the last 4 weeks and 3 fires in all.');
      expect(reply.blocks[0]!.text!.text).toBe('*Fires joined*\nThis week: *1* · last 4 weeks: *2* · all time: *3*\nAs: learner 2 · volunteer 1');
      const score = experienceScore({ level: 'junior', startedOn: null, history: historyOf(fires.map((f) => ({ role: f.role, joinedAt: f.at })), h.app.deps.clock()) }, h.app.deps.clock());
      expect(reply.blocks[1]!.text!.text).toMatch(/^\*Experience score\*, lower means less experience:\n• Level junior: 0 points\n/);
      expect(reply.blocks[1]!.text!.text.endsWith(`• Experience score: ${score} (lower means less experience)\nYour level: junior, from the roster.`)).toBe(true);
    });

    it('admins set levels and mentors, and get the exposure report, least exposed first', async () => {
      expect((await volunteer('U0ADMIN01', 'admin level <@U0JUNIOR2|kim> mid')).text).toBe('<@U0JUNIOR2> is now mid (was junior).');
      expect((await engineer('U0JUNIOR2')).level).toBe('mid');
      await volunteer('U0ADMIN01', 'admin level <@U0JUNIOR2> junior');
      expect((await volunteer('U0ADMIN01', 'admin mentor <@U0SENIOR1|sam> yes')).text).toBe('<@U0SENIOR1> is now a mentor.');
      expect((await engineer('U0SENIOR1')).isMentor).toBe(true);
      expect((await volunteer('U0ADMIN01', 'admin level <@U0NOBODY1> senior')).text).toBe("I don't know <@U0NOBODY1>: only members of this workspace have a level. Nothing changed.");

      const report = await volunteer('U0ADMIN01', 'admin report');
      // Jo joined 2 fires in the last 4 weeks (the stats test); everyone else none yet.
      expect(report.text).toBe('Fires joined in the last 4 weeks: 7 people, 6 with none.');
      const lines = report.blocks[1]!.text!.text.split('\n');
      expect(lines).toHaveLength(7);
      expect(lines.at(-1)).toMatch(/^` {2}2` <@U0JUNIOR1> · junior · last <!date/);
      expect(lines.slice(0, 6).every((l) => l.startsWith('`  0`'))).toBe(true);
    });
  });

  describe('buttons in DMs (the Messages tab is read-only)', () => {
    it('"Volunteer for 8h" in the weekly digest answers with a new message, never replacing the digest', async () => {
      const reply = await press('U0JUNIOR2', 'volunteer_for_next', 'on', true);
      expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(reply.text).toMatch(/^You are volunteering until/);
      expect((await engineer('U0JUNIOR2')).volunteerUntil).not.toBeNull();
    });

    it('opt out, digest off, stats and stop volunteering each do what the command does, in a new message', async () => {
      const optout = await press('U0JUNIOR2', 'dm_switch_invites', 'optout', true);
      expect(optout).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: 'Done: you will not be invited automatically any more.' });
      expect((await engineer('U0JUNIOR2')).optedOut).toBe(true);
      // The answer, shown in the DM, offers its undo as a button too: nothing there can be typed.
      expect(buttons(optout)).toEqual([['dm_switch_invites', 'optin']]);

      const digest = await press('U0JUNIOR2', 'dm_switch_digest', 'off', true);
      expect(digest).toMatchObject({ replace_original: false, text: 'The weekly digest DM is off. Your fires are still counted.' });
      expect((await engineer('U0JUNIOR2')).digestOff).toBe(true);

      const stats = await press('U0JUNIOR2', 'dm_show_stats', 'stats', true);
      expect(stats.text).toMatch(/^You joined 0 fires this week/);

      await db().engineer.update({ where: { slackId: 'U0JUNIOR2' }, data: { volunteerUntil: new Date(now() + HOUR) } });
      const off = await press('U0JUNIOR2', 'dm_switch_volunteer', 'off', true);
      expect(off.text).toBe('You stopped volunteering. Thanks for raising your hand!');
      expect((await engineer('U0JUNIOR2')).volunteerUntil).toBeNull();
    });

    it('ignores a DM button value this app never made, changing nothing', async () => {
      const name = await pressOnly('U0JUNIOR2', 'dm_switch_invites', 'everything', true);
      await settleAfterAck();
      expect(answered(name)).toBe(false);
      expect((await engineer('U0JUNIOR2')).optedOut).toBe(false);
    });
  });

  describe('incidents', () => {
    it('`now` with no fire burning says so and offers to volunteer; the button volunteers', async () => {
      const reply = await volunteer('U0JUNIOR1', 'now');
      expect(reply.text).toBe('No fire is burning right now. Want to be first in line for the next one?');
      expect(buttons(reply)).toEqual([['volunteer_for_next', 'on']]);
      const before = now();
      const after = await press('U0JUNIOR1', 'volunteer_for_next', 'on');
      expect(after.replace_original).toBe(true);
      expect(after.text).toMatch(/^You are volunteering until/);
      expect((await engineer('U0JUNIOR1')).volunteerUntil!.getTime()).toBeGreaterThanOrEqual(before + 8 * HOUR);
    });

    it('invites volunteers first, within their working hours', async () => {
      await volunteer('U0SENIOR1', 'on 2h');
      await volunteer('U0NIGHTLA', 'on 2h');
      const { channel, incident } = await openIncident('inc-volunteers-first');
      const invited = h.emulator.callsTo('conversations.invite').map((c) => c.args.users);
      // Sam is senior and would never be chosen automatically; Lee volunteers but it is 01:00 in Los Angeles.
      expect(invited[0]).toBe('U0SENIOR1');
      expect(invited).toHaveLength(2);
      expect(invited).not.toContain('U0NIGHTLA');
      const sam = await db().participation.findFirstOrThrow({ where: { incidentId: incident.id, engineer: { slackId: 'U0SENIOR1' } } });
      expect([sam.role, sam.source]).toEqual(['volunteer', 'volunteer']);
      expect(h.emulator.messagesTo(channel.id)[0]!.text).toContain('<@U0SENIOR1>');
    });

    it('`now` joins the most recent open fire at once, even outside working hours', async () => {
      const { channel, incident } = await openIncident('inc-now');
      h.emulator.clearCalls();
      const reply = await volunteer('U0NIGHTLA', 'now');
      expect(reply.text).toBe(`You are in <#${channel.id}>. Welcome!`);
      expect(h.emulator.callsTo('conversations.invite').map((c) => [c.args.channel, c.args.users])).toEqual([[channel.id, 'U0NIGHTLA']]);
      const lee = await db().participation.findFirstOrThrow({ where: { incidentId: incident.id, engineer: { slackId: 'U0NIGHTLA' } } });
      expect([lee.role, lee.source, lee.joinedAt !== null]).toEqual(['volunteer', 'volunteer', true]);
      expect((await volunteer('U0NIGHTLA', 'now')).text).toBe(`You are already in <#${channel.id}>.`);
    });

    it('offers a Join button per open incident; pressing one invites the person as a volunteer', async () => {
      const incidents = await db().incident.findMany({ where: { resolvedAt: null }, orderBy: { openedAt: 'desc' } });
      const inNow = incidents.find((i) => i.name === 'inc-now')!;
      const first = incidents.find((i) => i.name === 'inc-volunteers-first')!;
      // Lee is in inc-now (previous test), so that one is marked instead of offered.
      const reply = await volunteer('U0NIGHTLA', 'on 4h');
      expect(buttons(reply)).toEqual([['join_incident', String(first.id)]]);
      expect(reply.blocks.some((b) => b.text?.text.includes(`<#${inNow.channelId}>`) && b.text.text.includes('you are in it'))).toBe(true);

      h.emulator.clearCalls();
      const joined = await press('U0NIGHTLA', 'join_incident', String(first.id));
      expect(joined.replace_original).toBe(false);
      expect(joined.text).toBe(`You are in <#${first.channelId}>. Welcome!`);
      expect(h.emulator.callsTo('conversations.invite').map((c) => [c.args.channel, c.args.users])).toEqual([[first.channelId, 'U0NIGHTLA']]);
      const lee = await db().participation.findFirstOrThrow({ where: { incidentId: first.id, engineer: { slackId: 'U0NIGHTLA' } } });
      expect([lee.role, lee.source]).toEqual(['volunteer', 'volunteer']);
    });

    it('a Join button for an incident resolved meanwhile says so and invites nobody', async () => {
      const { channel, incident } = await openIncident('inc-short-lived');
      h.emulator.archiveChannel(channel.id);
      await h.sender.event({ type: 'channel_archive', channel: channel.id, user: 'U0CREATOR' });
      await waitUntil(async () => (await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).resolvedAt !== null, 'the incident to resolve');
      h.emulator.clearCalls();
      // Whether selection chose them at the opening depends on who is busy elsewhere (issue 15): the press adds nothing either way.
      const joinedBefore = await db().participation.findMany({ where: { incidentId: incident.id, engineer: { slackId: 'U0JUNIOR1' } } });
      const reply = await press('U0JUNIOR1', 'join_incident', String(incident.id));
      expect(reply.text).toBe(`That fire is out: <#${channel.id}> was resolved, so there is nothing to join.`);
      expect(h.emulator.callsTo('conversations.invite')).toHaveLength(0);
      expect(await db().participation.findMany({ where: { incidentId: incident.id, engineer: { slackId: 'U0JUNIOR1' } } })).toEqual(joinedBefore);
    });

    it('a Join button with a value this app never made is refused', async () => {
      expect((await press('U0JUNIOR1', 'join_incident', 'DROP TABLE')).text).toBe('I cannot find that incident any more, so there is nothing to join.');
      expect((await press('U0JUNIOR1', 'join_incident', '999999')).text).toBe('I cannot find that incident any more, so there is nothing to join.');
      expect(h.emulator.callsTo('conversations.invite')).toHaveLength(0);
    });
  });
});
