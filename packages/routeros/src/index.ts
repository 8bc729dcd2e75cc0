export { ROUTEROS_ERRORS, RouterOsError, errorFromTraps, isRouterOsError } from './errors';
export type { RouterOsErrorCode, RouterOsErrorDetails, Trap } from './errors';
export { encodeLength, decodeLength, MAX_WORD_LENGTH } from './word-length';
export type { DecodedLength } from './word-length';
export { encodeSentence } from './sentence';
export type { WordEncoding } from './sentence';
export { SentenceDecoder, DEFAULT_DECODER_LIMITS } from './decoder';
export type { DecoderLimits } from './decoder';
export { parseReply } from './reply';
export type { Reply, ReplyType } from './reply';
export { attributeWord, parseAttributeWord, parseTagWord, tagWord } from './attribute-word';
export { commandWords, parseCommandSentence } from './command-sentence';
export type { CommandSentence } from './command-sentence';
export { legacyLoginResponse } from './legacy-login';
export { RouterConnection, API_PORT, API_SSL_PORT, DEFAULT_TIMEOUT_MS } from './router-connection';
export type {
  CommandResult,
  ConnectionOptions,
  RouterTlsOptions,
  Row,
  SendOptions,
} from './router-connection';
export { RouterClient } from './router-client';
export type {
  ClientStats,
  CommandTiming,
  ListenHandle,
  PrintOptions,
  RouterClientOptions,
} from './router-client';
export { anyOf, isNonEmpty } from './query-words';
export type { NonEmpty } from './query-words';
export { ensureMenu, planChanges, ownsComment, DEFAULT_ENSURE_WINDOW } from './ensure-menu';
export type { Change, ChangeFailure, DesiredItem, EnsureOptions, EnsureResult, Owner } from './ensure-menu';
export {
  isIpv4,
  ipv4ToNumber,
  networkOf,
  normaliseBoolean,
  normaliseListAddress,
  normaliseMac,
  normaliseRatePair,
  normaliseTarget,
  normaliseValue,
  numberToIpv4,
  parseBitRate,
  parseDuration,
  parsePrefix,
} from './values';
export { leaseScript } from './lease-script';
export type { LeaseScriptOptions } from './lease-script';
export { MNDP_PORT, MNDP_REQUEST, MNDP_TLV, decodeMndp, listenMndp } from './mndp';
export type { MndpAnnouncement, MndpListener, MndpListenerOptions, MndpSighting } from './mndp';
