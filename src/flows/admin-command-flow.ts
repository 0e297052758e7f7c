import type { Deps } from '../deps';
import { setSeniority } from '../db/engineers';
import type { AdminCommand } from '../domain/volunteer-command';
import type { Message } from '../slack/views/blocks';
import * as reply from '../slack/views/volunteer-replies';
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
    await setSeniority(deps.db, target.id, { level: command.level });
    log.info({ target: command.userId, level: command.level, previous: target.level }, 'admin set a level');
    return reply.levelSetReply(command.userId, command.level, target.level);
  }
  await setSeniority(deps.db, target.id, { isMentor: command.mentor });
  log.info({ target: command.userId, mentor: command.mentor, previous: target.isMentor }, 'admin set a mentor flag');
  return reply.mentorSetReply(command.userId, command.mentor, target.isMentor);
}

