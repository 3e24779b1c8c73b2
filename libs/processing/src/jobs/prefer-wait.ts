/** The longest `Prefer: wait` a submit honours; a bare `wait` means this much. */
export const MAX_WAIT_SECONDS = 60;

/**
 * The seconds asked for by RFC 7240's `wait` preference (`Prefer: respond-async, wait=10`),
 * capped at {@link MAX_WAIT_SECONDS}; undefined when there is none or it is not delta-seconds
 * (the RFC says to ignore a preference that cannot be understood). `wait` alone, as Replicate
 * takes it, is the cap.
 */
export function preferredWaitSeconds(header: string | string[] | undefined): number | undefined {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  for (const preference of values.flatMap((value) => value.split(','))) {
    // Parameters after ';' belong to the preference and do not change its value.
    const [token] = preference.split(';');
    const match = /^\s*wait\s*(?:=\s*(?:"(\d+)"|(\d+)))?\s*$/i.exec(token);
    if (!match) continue;
    const digits = match[1] ?? match[2];
    return digits === undefined ? MAX_WAIT_SECONDS : Math.min(Number(digits), MAX_WAIT_SECONDS);
  }
  return undefined;
}
