/**
 * ATIF ContentPart (v1.6 images, v1.8 audio): a message or observation may be a plain string or an array of
 * text / image / audio parts. Media are referenced by path or URL, never inlined. Audio MIME aliases
 * (`audio/mp3`, ...) are normalised to the registered type on the way in, as Harbor does.
 */
import { z } from 'zod';

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
const AUDIO_TYPES = [
  'audio/wav',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/ogg',
  'audio/flac',
  'audio/webm',
  'audio/aiff',
] as const;
const AUDIO_ALIASES: Record<string, string> = {
  'audio/mp3': 'audio/mpeg',
  'audio/mpga': 'audio/mpeg',
  'audio/x-mpeg': 'audio/mpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/x-m4a': 'audio/mp4',
  'audio/m4a': 'audio/mp4',
  'audio/x-aac': 'audio/aac',
  'audio/x-flac': 'audio/flac',
  'audio/x-aiff': 'audio/aiff',
};

const ImageSourceSchema = z.object({ media_type: z.enum(IMAGE_TYPES), path: z.string() }).strict();

const AudioSourceSchema = z
  .object({
    media_type: z.preprocess((v) => {
      if (typeof v !== 'string') return v;
      const t = v.trim().toLowerCase();
      return AUDIO_ALIASES[t] ?? t;
    }, z.enum(AUDIO_TYPES)),
    path: z.string(),
    duration_sec: z.number().nonnegative().optional(),
  })
  .strict();

const ContentPartSchema = z
  .object({
    type: z.enum(['text', 'image', 'audio']),
    text: z.string().optional(),
    source: z.union([ImageSourceSchema, AudioSourceSchema]).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.type === 'text') {
      if (p.text === undefined)
        ctx.addIssue({ code: 'custom', path: ['text'], message: "required when type is 'text'" });
      if (p.source !== undefined)
        ctx.addIssue({ code: 'custom', path: ['source'], message: "not allowed when type is 'text'" });
      return;
    }
    if (p.text !== undefined)
      ctx.addIssue({ code: 'custom', path: ['text'], message: `not allowed when type is '${p.type}'` });
    if (p.source === undefined) {
      ctx.addIssue({ code: 'custom', path: ['source'], message: `required when type is '${p.type}'` });
    } else if (!p.source.media_type.startsWith(`${p.type}/`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['source', 'media_type'],
        message: `type '${p.type}' needs a ${p.type}/* source, got ${p.source.media_type}`,
      });
    }
  });

/** A message or observation content: text, or multimodal parts. */
export const ContentSchema = z.union([z.string(), z.array(ContentPartSchema)]);
export type Content = z.infer<typeof ContentSchema>;

/** The text of a content value (media parts shown as their path), for readers that only want text. */
export function contentText(c: Content | undefined): string {
  if (c === undefined) return '';
  if (typeof c === 'string') return c;
  return c.map((p) => (p.type === 'text' ? (p.text ?? '') : `[${p.type}: ${p.source?.path ?? ''}]`)).join('\n');
}
