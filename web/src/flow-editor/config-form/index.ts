// TEMP stub (not committed)
export function ConfigForm(_p: { schema: Record<string, unknown>; value: Record<string, unknown>; onChange: (v: Record<string, unknown>) => void; problems?: { path: string; message: string }[]; suggestions?: string[]; readOnly?: boolean; idPrefix: string }) {
  return null;
}
