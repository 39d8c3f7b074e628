import * as m from '../paraglide/messages.js';
import type { ErrorCode } from './bindings/ErrorCode';

type Msg = () => string;

// Written out so the build keeps every message and a missing one fails type checking.
const MESSAGES: Record<ErrorCode, [Msg, Msg]> = {
  endpoint_unreachable: [m.error_endpoint_unreachable, m.error_endpoint_unreachable_next],
  tls: [m.error_tls, m.error_tls_next],
  wrong_region: [m.error_wrong_region, m.error_wrong_region_next],
  unknown_access_key: [m.error_unknown_access_key, m.error_unknown_access_key_next],
  wrong_secret: [m.error_wrong_secret, m.error_wrong_secret_next],
  clock_skew: [m.error_clock_skew, m.error_clock_skew_next],
  permission_denied: [m.error_permission_denied, m.error_permission_denied_next],
  timeout: [m.error_timeout, m.error_timeout_next],
  invalid_input: [m.error_invalid_input, m.error_invalid_input_next],
  bucket_not_found: [m.error_bucket_not_found, m.error_bucket_not_found_next],
  bucket_name_taken: [m.error_bucket_name_taken, m.error_bucket_name_taken_next],
  bucket_already_yours: [m.error_bucket_already_yours, m.error_bucket_already_yours_next],
  bucket_not_empty: [m.error_bucket_not_empty, m.error_bucket_not_empty_next],
  object_not_found: [m.error_object_not_found, m.error_object_not_found_next],
  object_exists: [m.error_object_exists, m.error_object_exists_next],
  quota_exceeded: [m.error_quota_exceeded, m.error_quota_exceeded_next],
  access_types_unsupported: [m.error_access_types_unsupported, m.error_access_types_unsupported_next],
  not_supported: [m.error_not_supported, m.error_not_supported_next],
  preview_too_large: [m.error_preview_too_large, m.error_preview_too_large_next],
  file_too_large: [m.error_file_too_large, m.error_file_too_large_next],
  local_file_unreadable: [m.error_local_file_unreadable, m.error_local_file_unreadable_next],
  local_file_unwritable: [m.error_local_file_unwritable, m.error_local_file_unwritable_next],
  sync_folder_missing: [m.error_sync_folder_missing, m.error_sync_folder_missing_next],
  sync_ignore_rule: [m.error_sync_ignore_rule, m.error_sync_ignore_rule_next],
  key_not_local: [m.error_key_not_local, m.error_key_not_local_next],
  checksum_mismatch: [m.error_checksum_mismatch, m.error_checksum_mismatch_next],
  file_changed: [m.error_file_changed, m.error_file_changed_next],
  keyring_unavailable: [m.error_keyring_unavailable, m.error_keyring_unavailable_next],
  not_connected: [m.error_not_connected, m.error_not_connected_next],
  cancelled: [m.error_cancelled, m.error_cancelled_next],
  database: [m.error_database, m.error_database_next],
  storage_error: [m.error_storage_error, m.error_storage_error_next],
  internal: [m.error_internal, m.error_internal_next],
};

export function errorMessage(code: ErrorCode): string {
  return (MESSAGES[code] ?? MESSAGES.internal)[0]();
}

export function errorNextStep(code: ErrorCode): string {
  return (MESSAGES[code] ?? MESSAGES.internal)[1]();
}
