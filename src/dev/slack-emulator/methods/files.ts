/** files.uploadV2 of @slack/web-api: get an upload URL, POST the bytes there, complete. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Methods, Workspace } from '../state';
import { fail, int, invalidArguments, ok, parseJsonArg, str } from '../wire';

/** Where the upload URLs of files.getUploadURLExternal point, below the server's root. */
export const UPLOAD_PATH = '/upload/v1/';

/** Takes the bytes POSTed to a file's upload URL. */
export async function receiveUpload(ws: Workspace, req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const file = ws.uploads.get(id);
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  // The SDK posts the bytes as multipart/form-data (one part); anything else is taken as the bytes themselves.
  const type = req.headers['content-type'] ?? '';
  let bytes = raw;
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const part = [...form.values()].find((v) => typeof v !== 'string');
    if (part && typeof part !== 'string') bytes = Buffer.from(await part.arrayBuffer());
  }
  file.bytes = bytes;
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${bytes.length}`);
}

export const filesMethods: Methods = {
  'files.getUploadURLExternal': (ws, args) => {
    const filename = str(args, 'filename');
    const length = int(args, 'length');
    if (!filename || length === undefined) return invalidArguments(...(!filename ? ['[ERROR] missing required field: filename'] : []), ...(length === undefined ? ['[ERROR] missing required field: length'] : []));
    const id = ws.newId('F');
    ws.uploads.set(id, { id, filename, length, title: filename, bytes: null, channel: null, initialComment: null, completed: false });
    return ok({ upload_url: `${ws.apiUrl.replace(/\/api\/$/, '')}${UPLOAD_PATH}${id}`, file_id: id });
  },

  'files.completeUploadExternal': (ws, args) => {
    const parsed = parseJsonArg(args.files);
    const list = 'value' in parsed && Array.isArray(parsed.value) ? (parsed.value as Array<{ id?: unknown; title?: unknown }>) : null;
    if (!list || list.length === 0) return invalidArguments('[ERROR] missing required field: files');
    const channel = str(args, 'channel_id');
    if (channel !== undefined && !ws.channels.has(channel) && !ws.userByIm.has(channel)) return fail('channel_not_found');
    const files = list.map((f) => ws.uploads.get(String(f.id)));
    // Slack refuses to complete a file whose bytes never arrived.
    if (files.some((f) => !f || f.bytes === null || f.completed)) return fail('file_not_found');
    files.forEach((f, i) => Object.assign(f!, { completed: true, channel: channel ?? null, initialComment: str(args, 'initial_comment') ?? null, title: typeof list[i]!.title === 'string' ? list[i]!.title : f!.filename }));
    return ok({ files: files.map((f) => ({ id: f!.id, title: f!.title })) });
  },
};
