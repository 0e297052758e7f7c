import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * `npm run demo` (SPEC.md section 1), run as a person runs it: a child process with no database
 * and no Slack. It must exit 0, tell the whole story, leave no process behind, and print the same
 * transcript when run again (each run has a fresh database).
 */
const ROOT = path.resolve(__dirname, '../..');

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** whether any process of the demo's process group was still alive after it exited */
  leftBehind: boolean;
}

function runDemo(): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/dev/demo.ts'], {
      cwd: ROOT,
      // An empty DATABASE_URL is "unset" for the demo, and stops a developer's .env from setting one.
      env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that anything it started can be found after it exits.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', async (code) => {
      // A helper process (tsx's esbuild service) ends on its own once its parent's pipe closes;
      // give the group a moment to finish exiting before calling anything left behind.
      const alive = () => {
        try {
          process.kill(-child.pid!, 0);
          return true;
        } catch {
          return false;
        }
      };
      const deadline = Date.now() + 3_000;
      while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const leftBehind = alive();
      if (leftBehind) process.kill(-child.pid!, 'SIGKILL');
      resolve({ code, stdout, stderr, leftBehind });
    });
  });
}

describe('npm run demo', () => {
  let first: DemoRun;

  beforeAll(async () => {
    first = await runDemo();
  }, 120_000);

  it('exits 0 and leaves no process behind', () => {
    expect({ code: first.code, stderr: first.code === 0 ? '' : first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(first.leftBehind).toBe(false);
  });

  it('shows a backfill of last year\'s incident channels before the incident', () => {
    const backfill = first.stdout.indexOf('Before the first incident: `npm run backfill`');
    expect(backfill).toBeGreaterThan(-1);
    expect(backfill).toBeLessThan(first.stdout.indexOf('@Marta creates #inc-checkout-db-latency'));
    expect(first.stdout).toContain('Incidents recorded: 6; participations recorded: 18.');
    expect(first.stdout).toMatch(/#inc-vpn-outage \(C\w+\): the app is not a member/);
    expect(first.stdout).toMatch(/\/volunteer admin level @Kofi senior # Kofi \(U0KOFI001\): 5 past fires, level junior/);
  });

  it('shows who is invited and why, and the intro with the mentor', () => {
    expect(first.stdout).toContain('@Marta creates #inc-checkout-db-latency');
    expect(first.stdout).toContain('The app joins the channel and invites 2 learners (INVITES_PER_INCIDENT=2):');
    expect(first.stdout).toMatch(/• @Jonas, junior, 10:00 in Europe\/Berlin: among the least experienced people in working hours right now/);
    expect(first.stdout).toMatch(/• @Aisha, junior, 09:00 in Europe\/London: among the least experienced/);
    expect(first.stdout).toContain('Experience score: 0 (lower means less experience)');
    expect(first.stdout).toContain('• @Leo: it is Wed 01:00 in America/Los_Angeles, outside working hours');
    expect(first.stdout).toContain('• @Kofi: opted out of automatic invites');
    expect(first.stdout).toContain('Lead: @Marta (she opened the channel, so she leads and is not asked to mentor).');
    expect(first.stdout).toContain('Mentor: @Chen (flagged as a mentor in the roster and already in the channel).');
    expect(first.stdout).toMatch(/#inc-checkout-db-latency, from smokejumper:\n\s+│\s+:wave: @Jonas and @Aisha are joining to learn/);
  });

  it('shows the DMs and the guided prompts', () => {
    expect(first.stdout).toContain('Welcome to #inc-checkout-db-latency.* Fires are where engineers learn fastest');
    expect(first.stdout).not.toContain('Smokejumper prompt 1 of 3');
    for (const n of [2, 3]) expect(first.stdout).toContain(`Smokejumper prompt ${n} of 3`);
    // One DM naming both learners, each with their experience (the demo wraps long lines).
    expect(first.stdout).toMatch(/DM to @Chen:\n\s+│\s+:handshake: You are the mentor in #inc-checkout-db-latency: @Jonas and @Aisha are there to\n\s+│\s+learn\.\n\s+│\s+\*@Jonas\*\n\s+│\s+• Level: junior/);
  });

  it('shows someone volunteering with /volunteer and joining from the reply', () => {
    expect(first.stdout).toContain('@Priya types `/volunteer`');
    expect(first.stdout).toMatch(/You are volunteering until .*\n[\s\S]*#inc-checkout-db-latency · opened .* \[ Join \]/);
    expect(first.stdout).toContain('You are in #inc-checkout-db-latency. Welcome!');
    expect(first.stdout).toContain('She is in the channel as a volunteer and gets the same guided prompts:');
  });

  it('shows the resolution, the reflection form and the stored learning', () => {
    expect(first.stdout).toContain('@Marta renames the channel to #resolved-checkout-db-latency');
    expect(first.stdout).toContain('[ Write my reflection ]');
    expect(first.stdout).toMatch(/A form opens at once \(views\.open\) and is filled \(views\.update\)/);
    expect(first.stdout).toContain('Learned: EXPLAIN on the new query would have shown the sequential scan before the deploy.');
  });

  it("shows a learner's weekly digest", () => {
    expect(first.stdout).toContain('Mon 09:00 · The weekly digest');
    expect(first.stdout).toMatch(/YOUR WEEK IN FIRES, 23.29 NOV 2026/);
    expect(first.stdout).toMatch(/#resolved-checkout-db-latency · learner · joined Wed 25 Nov, 10:00 · 1h 30m/);
    // The reflection was written on the demo's Wednesday: the Monday digest shows it and does not ask for it again.
    expect(first.stdout).toMatch(/What you wrote down\*\n\s+│\s+• #resolved-checkout-db-latency: “EXPLAIN on the new query/);
    expect(first.stdout).not.toContain('Write down what you learned in #resolved-checkout-db-latency');
  });

  it('runs the app in two roles, web and worker, and ends with the admin report on the Home tab', () => {
    expect(first.stdout).toMatch(/deployed in two\s+roles as at scale/);
    expect(first.stdout).toMatch(/GET \/healthz answers 200 on the web and 200 on the worker/);
    expect(first.stdout).toContain("@Marta opens the app's Home tab: the admin's report");
    expect(first.stdout).toMatch(/EXPOSURE ACROSS THE ORGANISATION[\s\S]*\*Coverage\*: 3 of 5 juniors had a fire in the last 4 weeks \(60%\)[\s\S]*Without one: @Leo, @Mia[\s\S]*\[ Chart \] \[ Export CSV \]/);
  });

  it("shows the growth path: the reflection reaches the mentor, his reply and the debrief nudge, and Jonas's third fire at the next stage", () => {
    expect(first.stdout).toMatch(/DM to @Chen:\n\s+│\s+:seedling: @Jonas wrote a reflection on #resolved-checkout-db-latency and shared it with you\./);
    expect(first.stdout).toContain('[ Reply ] [ Ready for the next step ] [ Not yet ]');
    expect(first.stdout).toContain(':coffee: Good morning. @Jonas reflected on #resolved-checkout-db-latency.');
    expect(first.stdout).toContain(':speech_balloon: @Chen replied to your reflection on #resolved-checkout-db-latency:');
    expect(first.stdout).toContain('@Jonas cannot move on yet.');
    expect(first.stdout).toMatch(/Jonas's second fire[\s\S]*:dart: \*Your role this time: observer\*/);
    expect(first.stdout).toContain('Thank you: @Jonas moves on to *scribe* for their next fire.');
    expect(first.stdout).toMatch(/Jonas's third fire, as the scribe ─+\n\s+DM to @Jonas:\n[\s\S]*:dart: \*Your role this time: scribe\*: you keep the timeline in a thread/);
  });

  it('shows one round of a practice fire, offered to a quiet junior, with people by role', () => {
    expect(first.stdout).toContain('A practice fire for a quiet junior');
    expect(first.stdout).toMatch(/DM to @Mia \(@Leo, in Los Angeles, gets the same\):\n\s+│\s+:fire_engine: \*Try a practice fire\? about 15 minutes\*/);
    expect(first.stdout).toContain('*Practice fire · round 1 of 5*');
    expect(first.stdout).toContain('I have it. _responder A_ can you check the cache hit rate?');
    expect(first.stdout).toMatch(/\*What would you check first\?\*\n\s+│\s+\[ Answer \] \[ Stop here \]/);
    // The round shows how it started, never how it ended, and nobody by name.
    const round = first.stdout.slice(first.stdout.indexOf('Practice fire · round 1'), first.stdout.indexOf('Nobody is named'));
    expect(round).not.toMatch(/Rolled back|Postmortem|Marta|Chen|Ravi/);
  });

  it('prints a transcript, not logs, and ends with the operator view', () => {
    expect(first.stdout).not.toMatch(/^\{"level"/m);
    expect(first.stdout).toMatch(/smokejumper_invites_total\{outcome="invited"\}\s+2\n/);
    // Three learners, each a welcome DM (the first entry of the schedule) and prompts 2 and 3.
    expect(first.stdout).toMatch(/smokejumper_prompts_total\{outcome="sent"\}\s+9\n/);
  });

  it('runs again on a fresh database and prints the very same transcript', async () => {
    const second = await runDemo();
    expect(second.code).toBe(0);
    expect(second.stdout).toEqual(first.stdout);
  }, 120_000);
});
