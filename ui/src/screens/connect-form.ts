// Plain checks for the connect form, kept apart from the component so they are unit-tested.

export type FormErrors = Partial<Record<'endpoint' | 'region' | 'accessKeyId' | 'secretKey' | 'name', 'required' | 'url' | 'server'>>;

export function isHttpUrl(value: string): boolean {
  const v = value.trim();
  if (!/^https?:\/\//i.test(v)) return false;
  try {
    const url = new URL(v);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

export function validateAccountForm(
  form: { endpoint: string; region: string; accessKeyId: string; secretKey: string; name: string },
  opts: { secretRequired: boolean; nameRequired?: boolean },
): FormErrors {
  const errors: FormErrors = {};
  if (!form.endpoint.trim()) errors.endpoint = 'required';
  else if (!isHttpUrl(form.endpoint)) errors.endpoint = 'url';
  if (!form.region.trim()) errors.region = 'required';
  if (!form.accessKeyId.trim()) errors.accessKeyId = 'required';
  if (opts.secretRequired && !form.secretKey) errors.secretKey = 'required';
  if (opts.nameRequired !== false && !form.name.trim()) errors.name = 'required';
  return errors;
}

/** The host of an endpoint ("https://s3.example.kz:9000/" → "s3.example.kz"), or "". */
export function defaultAccountName(endpoint: string): string {
  if (!isHttpUrl(endpoint)) return '';
  return new URL(endpoint.trim()).hostname;
}
