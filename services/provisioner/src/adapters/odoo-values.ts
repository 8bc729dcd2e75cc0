import { z } from 'zod';

// Odoo answers `false` for an empty field of any type; these read that as "absent".

/** A many2one value (`[id, display name]` or `false`) as its id. */
export const many2oneId = z
  .union([z.tuple([z.number().int(), z.string()]), z.literal(false), z.number().int()])
  .transform((v) => (v === false ? undefined : typeof v === 'number' ? (v === 0 ? undefined : v) : v[0]));

/** A char field as a string, `false` or an empty string as undefined. */
export const optionalText = z
  .union([z.string(), z.literal(false), z.null()])
  .transform((v) => (v === false || v === null || v === '' ? undefined : v));
