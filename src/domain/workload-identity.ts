import { parseSpiffeId, type SpiffeId } from "./spiffe-id.js";
import { parseSubjectAltNames } from "./subject-alt-names.js";

/**
 * The SPIFFE ID a certificate carries as an X.509-SVID: its one URI subject
 * alternative name, when that is a valid SPIFFE ID. A certificate with no URI
 * name has none; one with several URI names, or whose URI name is not a
 * valid SPIFFE ID, is refused with the reason (the SVID format allows exactly
 * one), so that no rule is matched on a name the certificate does not clearly
 * hold. Other names (DNS, IP) are ignored.
 */
export function spiffeIdOfCertificate(subjectAltNames: string | undefined): SpiffeId | { error: string } | undefined {
  const names = parseSubjectAltNames(subjectAltNames);
  if ("error" in names) return names;
  const uris = names.filter((name) => name.type === "URI");
  if (uris.length === 0) return undefined;
  if (uris.length > 1) return { error: `the certificate has ${uris.length} URI names; a SPIFFE certificate has exactly one` };
  const id = parseSpiffeId(uris[0]!.value);
  return "error" in id ? { error: `its URI name is not a SPIFFE ID: ${id.error}` } : id;
}
