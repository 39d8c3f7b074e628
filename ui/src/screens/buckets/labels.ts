import * as m from '../../paraglide/messages.js';
import type { BucketNameProblem } from '../../lib/bindings/BucketNameProblem';
import type { BucketType } from '../../lib/bindings/BucketType';
import type { StorageClass } from '../../lib/bindings/StorageClass';

type Msg = () => string;

// Written out so a new variant without words fails type checking.
const TYPES: Record<BucketType, [Msg, Msg]> = {
  private: [m.bucket_type_private, m.bucket_type_private_help],
  'public-read': [m.bucket_type_public_read, m.bucket_type_public_read_help],
  'public-read-write': [m.bucket_type_public_read_write, m.bucket_type_public_read_write_help],
};

const CLASSES: Record<StorageClass, [Msg, Msg]> = {
  standard: [m.bucket_class_standard, m.bucket_class_standard_help],
  cold: [m.bucket_class_cold, m.bucket_class_cold_help],
};

const NAME_PROBLEMS: Record<BucketNameProblem, Msg> = {
  too_short: m.bucket_name_too_short,
  too_long: m.bucket_name_too_long,
  uppercase: m.bucket_name_uppercase,
  invalid_character: m.bucket_name_invalid_character,
  bad_edge: m.bucket_name_bad_edge,
  consecutive_dots: m.bucket_name_consecutive_dots,
  dot_next_to_hyphen: m.bucket_name_dot_next_to_hyphen,
  ip_address: m.bucket_name_ip_address,
  reserved_prefix: m.bucket_name_reserved_prefix,
  reserved_suffix: m.bucket_name_reserved_suffix,
};

export const BUCKET_TYPES: readonly BucketType[] = ['private', 'public-read', 'public-read-write'];
export const STORAGE_CLASSES: readonly StorageClass[] = ['standard', 'cold'];

export const typeLabel = (t: BucketType): string => TYPES[t][0]();
export const typeHelp = (t: BucketType): string => TYPES[t][1]();
export const classLabel = (c: StorageClass): string => CLASSES[c][0]();
export const classHelp = (c: StorageClass): string => CLASSES[c][1]();

export function isNameProblem(value: string | null): value is BucketNameProblem {
  return value !== null && value in NAME_PROBLEMS;
}

export const nameProblemText = (p: BucketNameProblem): string => NAME_PROBLEMS[p]();

export const isPublic = (t: BucketType | null): boolean => t === 'public-read' || t === 'public-read-write';
