/**
 * The incident's call, for the learner's welcome DM (SPEC.md section 5): a video-call URL in the
 * channel's topic, else a bookmark whose link is one or whose title says "call", "bridge" or
 * "war room". Pure: texts in, one URL or null out.
 */

/** Hosts of the video-call tools incident channels use. */
const CALL_HOSTS = /^(?:[a-z0-9-]+\.)*(?:zoom\.us|meet\.google\.com|teams\.microsoft\.com|teams\.live\.com|webex\.com|whereby\.com|around\.co|meet\.jit\.si|gather\.town|chime\.aws|app\.slack\.com\/huddle)$/i;
const CALL_TITLE = /\b(?:call|bridge|war[ -]?room|huddle|zoom|meet)\b/i;
/** URLs as Slack writes them in text (`<https://…|label>` or `<https://…>`) or bare. */
const URL_IN_TEXT = /<(https:\/\/[^|>\s]+)(?:\|[^>]*)?>|(https:\/\/[^\s<>|]+)/gi;

export function isCallUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && CALL_HOSTS.test(parsed.hostname);
  } catch {
    return false;
  }
}

function urlsIn(text: string): string[] {
  return [...text.matchAll(URL_IN_TEXT)].map((m) => (m[1] ?? m[2])!);
}

/** The call link of an incident channel, or null when neither its topic nor a bookmark has one. */
export function callLinkOf(topic: string | null, bookmarks: ReadonlyArray<{ title: string; link: string }>): string | null {
  const inTopic = urlsIn(topic ?? '').find(isCallUrl);
  if (inTopic) return inTopic;
  const https = bookmarks.filter((b) => b.link.startsWith('https://'));
  return (https.find((b) => isCallUrl(b.link)) ?? https.find((b) => CALL_TITLE.test(b.title)))?.link ?? null;
}
