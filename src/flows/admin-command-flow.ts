import type { Deps } from '../deps';
import { setSeniority } from '../db/engineers';
import type { AdminCommand } from '../domain/volunteer-command';
import type { Message } from '../slack/views/blocks';
import * as reply from '../slack/views/volunteer-replies';
import { stageSetReply } from '../slack/views/growth-messages';
import { setStageByAdmin } from './growth-flow';
import { excludeChannelFromPractice } from './practice-flow';
import { adminReportReply } from './report-flow';
import { ensureEngineer } from './roster-flow';

/** An admin subcommand of `/volunteer` (the caller checked that `adminId` is an admin). */
export async function runAdminCommand(deps: Deps, adminId: string, command: AdminCommand): Promise<Message> {
  const log = deps.log.child({ user: adminId, command: command.kind });
  if (command.kind === 'admin_report') return adminReportReply(deps, command.weeks, command.team);
  if (command.kind === 'admin_practice_exclude') return excludeChannelFromPractice(deps, adminId, command.channelId);
  const target = await ensureEngineer(deps, command.userId);
  if (!target) return reply.unknownPersonReply(command.userId);
  if (command.kind === 'admin_level') {
    // An admin's word wins over the person's own ("I'm an experienced responder" included).
    await setSeniority(deps.db, target.id, { level: command.level, levelSource: 'admin', experienced: false });
    log.info({ target: command.userId, level: command.level, previous: target.level }, 'admin set a level');
    return reply.levelSetReply(command.userId, command.level, target.level);
  }
  if (command.kind === 'admin_stage') {
    const changed = await setStageByAdmin(deps, adminId, target, command.stage);
    log.info({ target: command.userId, stage: command.stage, previous: target.stage, changed }, 'admin set a stage');
    return stageSetReply(command.userId, command.stage, target.stage);
  }
  await setSeniority(deps.db, target.id, { isMentor: command.mentor });
  log.info({ target: command.userId, mentor: command.mentor, previous: target.isMentor }, 'admin set a mentor flag');
  return reply.mentorSetReply(command.userId, command.mentor, target.isMentor);
}

