import { toCsv } from './csv';
import type { Role } from './experience';
import { progressText, stageLabel } from './prompts';
import { STAGES, type MentorDecision, type Progress, type Stage } from './progression';

/**
 * A person's whole record on the growth path, for a performance review (`npm run growth`, SPEC.md
 * "Growth"): fires by role and stage, reflections, the mentor's replies and answers, stage
 * changes. Pure: rows in, Markdown or CSV out. A private incident is named "(private incident)",
 * since a record may be shown to people who were not in it.
 */
export interface GrowthRecord {
  person: { slackId: string; name: string; level: string };
  progress: Progress;
  fires: Array<{ incidentId: number; incident: string; role: Role; stage: Stage; joinedAt: Date }>;
  reflections: Array<{ incidentId: number; incident: string; at: Date; whatHappened: string; checkFirst: string; learned: string; shared: boolean; reply: { text: string; by: string; at: Date } | null }>;
  decisions: Array<{ incidentId: number; incident: string; at: Date; decision: MentorDecision; by: string; note: string | null }>;
  changes: Array<{ at: Date; from: Stage | null; to: Stage; by: 'mentor' | 'admin'; bySlackId: string | null }>;
}

export const PRIVATE_INCIDENT = '(private incident)';

export const incidentName = (incident: { name: string; isPrivate: boolean }): string => (incident.isPrivate ? PRIVATE_INCIDENT : `#${incident.name}`);

const day = (d: Date): string => d.toISOString().slice(0, 10);
const decisionWords: Record<MentorDecision, string> = { ready: 'Ready for the next step', not_yet: 'Not yet' };
const ROLES_SHOWN: Role[] = ['learner', 'volunteer'];

/** Fires per role (rows) and stage (columns). */
export function firesByRoleAndStage(fires: GrowthRecord['fires']): Record<string, Record<Stage, number>> {
  const table: Record<string, Record<Stage, number>> = {};
  for (const role of ROLES_SHOWN) table[role] = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  for (const f of fires) table[f.role]![f.stage]++;
  return table;
}

/** One line of a person's text, for a Markdown list (line breaks kept as spaces). */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

export function growthMarkdown(record: GrowthRecord): string {
  const out: string[] = [];
  out.push(`# Growth record: ${record.person.name} (${record.person.slackId})`, '');
  out.push(`Level: ${record.person.level}. Stage now: **${stageLabel(record.progress.stage)}**. ${progressText(record.progress, 'you').replace(/^Next/, 'Next stage')}`, '');
  out.push(`## Fires (${record.fires.length})`, '');
  const table = firesByRoleAndStage(record.fires);
  out.push(`| role | ${STAGES.map(stageLabel).join(' | ')} |`, `|---|${STAGES.map(() => '---').join('|')}|`);
  for (const role of ROLES_SHOWN) out.push(`| ${role} | ${STAGES.map((s) => table[role]![s]).join(' | ')} |`);
  out.push('');
  for (const f of record.fires) out.push(`- ${day(f.joinedAt)} ${f.incident}: ${f.role}, ${stageLabel(f.stage)}`);
  out.push('', `## Reflections (${record.reflections.length})`, '');
  for (const r of record.reflections) {
    out.push(`- ${day(r.at)} ${r.incident}${r.shared ? ' (shared with the mentor)' : ' (kept private)'}`);
    out.push(`  - What happened: ${oneLine(r.whatHappened)}`, `  - Would check first: ${oneLine(r.checkFirst)}`, `  - Learned: ${oneLine(r.learned)}`);
    if (r.reply) out.push(`  - Mentor's reply (${r.reply.by}, ${day(r.reply.at)}): ${oneLine(r.reply.text)}`);
  }
  out.push('', `## Mentor's answers (${record.decisions.length})`, '');
  for (const d of record.decisions) out.push(`- ${day(d.at)} ${d.incident}: ${decisionWords[d.decision]} (${d.by})${d.note ? `: ${oneLine(d.note)}` : ''}`);
  out.push('', `## Stage changes (${record.changes.length})`, '');
  for (const c of record.changes) out.push(`- ${day(c.at)} ${c.from ? stageLabel(c.from) : 'start'} → ${stageLabel(c.to)}, by ${c.by}${c.bySlackId ? ` (${c.bySlackId})` : ''}`);
  return `${out.join('\n')}\n`;
}

export const GROWTH_CSV_HEADER = ['at', 'kind', 'incident', 'role', 'stage', 'text', 'by'] as const;

/** One row per event, oldest first: fire, reflection, mentor_reply, mentor_answer, stage_change. */
export function growthCsv(record: GrowthRecord): string {
  const rows: Array<{ at: Date; cells: Array<string | null> }> = [
    ...record.fires.map((f) => ({ at: f.joinedAt, cells: ['fire', f.incident, f.role, f.stage, null, null] })),
    ...record.reflections.flatMap((r) => [
      { at: r.at, cells: ['reflection', r.incident, null, null, `What happened: ${r.whatHappened}\nWould check first: ${r.checkFirst}\nLearned: ${r.learned}`, r.shared ? 'shared' : 'private'] },
      ...(r.reply ? [{ at: r.reply.at, cells: ['mentor_reply', r.incident, null, null, r.reply.text, r.reply.by] }] : []),
    ]),
    ...record.decisions.map((d) => ({ at: d.at, cells: ['mentor_answer', d.incident, null, null, d.note ? `${d.decision}: ${d.note}` : d.decision, d.by] })),
    ...record.changes.map((c) => ({ at: c.at, cells: ['stage_change', null, null, c.to, `${c.from ?? 'start'} -> ${c.to}`, c.bySlackId ? `${c.by} ${c.bySlackId}` : c.by] })),
  ];
  rows.sort((a, b) => a.at.getTime() - b.at.getTime());
  return toCsv(GROWTH_CSV_HEADER, rows.map((r) => [r.at.toISOString(), ...r.cells]));
}
