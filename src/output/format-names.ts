// The -w values: etcdctl's five, and etcdctl-ts's readable ones that only some commands accept.
export const OUTPUT_FORMATS = ['fields', 'json', 'protobuf', 'simple', 'table'] as const;
/** etcdctl-ts's additional -w values, accepted only by the commands that declare them. */
export const EXTRA_OUTPUT_FORMATS = ['yaml', 'json-decoded'] as const;
export type ExtraOutputFormat = (typeof EXTRA_OUTPUT_FORMATS)[number];
export type OutputFormat = (typeof OUTPUT_FORMATS)[number] | ExtraOutputFormat;
