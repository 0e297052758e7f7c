import type { InputBlock, ModalView } from '@slack/types';
import { GROWTH_BLOCK, REFLECTION_BLOCK, VIEW } from '../ids';
import { channelLink, plainText, section } from './blocks';
import { REFLECTION_COPY, REFLECTION_FIELDS, REFLECTION_MAX_CHARS, type ReflectionAnswers } from '../../domain/prompts';

export interface ReflectionModalInput {
  incidentId: number;
  channelId: string;
  /** a reflection already saved, shown so that a second submission edits it */
  existing?: ReflectionAnswers | null;
  /** "Share with my mentor" as saved; on by default (SPEC.md "Growth") */
  share?: boolean;
}

/** The incident id travels in private_metadata, so the submission knows what it is about. */
export function reflectionMetadata(incidentId: number): string {
  return JSON.stringify({ incidentId });
}

/**
 * What views.open shows at once: a trigger_id lasts 3 seconds, too short to read the database
 * first, so the form opens empty-handed and views.update fills it (reflectionModal).
 */
export function reflectionLoadingModal(): ModalView {
  return { type: 'modal', title: plainText(REFLECTION_COPY.modalTitle), close: plainText(REFLECTION_COPY.close), blocks: [section(`:hourglass_flowing_sand: ${REFLECTION_COPY.loading}`)] };
}

/** The form for an incident the app does not know (any more): nothing to submit. */
export function reflectionGoneModal(): ModalView {
  return { type: 'modal', title: plainText(REFLECTION_COPY.modalTitle), close: plainText(REFLECTION_COPY.close), blocks: [section(REFLECTION_COPY.incidentGone)] };
}

/**
 * The three questions (what happened, what to check first next time, one thing learned), each a
 * multiline input that shows what was saved before. A practice fire's closing reflection asks the same.
 */
export function reflectionInputs(existing?: ReflectionAnswers | null): InputBlock[] {
  return REFLECTION_FIELDS.map(({ field, label, placeholder }) => ({
    type: 'input',
    block_id: REFLECTION_BLOCK[field],
    label: plainText(label),
    element: {
      type: 'plain_text_input',
      action_id: REFLECTION_BLOCK[field],
      multiline: true,
      max_length: REFLECTION_MAX_CHARS,
      placeholder: plainText(placeholder),
      ...(existing?.[field] ? { initial_value: existing[field] } : {}),
    },
  }));
}

/** The reflection form: what happened, what to check first next time, one thing learned. */
export function reflectionModal({ incidentId, channelId, existing, share = true }: ReflectionModalInput): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.reflection,
    private_metadata: reflectionMetadata(incidentId),
    title: plainText(REFLECTION_COPY.modalTitle),
    submit: plainText(REFLECTION_COPY.submit),
    close: plainText(REFLECTION_COPY.close),
    blocks: [section(REFLECTION_COPY.modalIntro(channelLink(channelId))), ...reflectionInputs(existing), shareBlock(share)],
  };
}

/** "Share with my mentor": a checkbox, ticked by default; unticked, the mentor sees only that a reflection was written. */
function shareBlock(share: boolean): InputBlock {
  const option = { text: plainText(REFLECTION_COPY.share), value: 'share' };
  return {
    type: 'input',
    block_id: GROWTH_BLOCK.share,
    optional: true,
    label: plainText(REFLECTION_COPY.shareLabel),
    element: { type: 'checkboxes', action_id: GROWTH_BLOCK.share, options: [option], ...(share ? { initial_options: [option] } : {}) },
  };
}
