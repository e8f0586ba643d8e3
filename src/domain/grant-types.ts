/** The persisted grant types, named as Duende IdentityServer stores them. */
export const grantTypes = {
  authorizationCode: "authorization_code",
  referenceToken: "reference_token",
  refreshToken: "refresh_token",
  userConsent: "user_consent",
  deviceCode: "device_code",
  ciba: "ciba",
} as const;

export type GrantType = (typeof grantTypes)[keyof typeof grantTypes];

/** Grants that `revoke_tokens` removes: everything but consents. */
export const tokenGrantTypes: readonly GrantType[] = [
  grantTypes.refreshToken,
  grantTypes.referenceToken,
  grantTypes.authorizationCode,
  grantTypes.ciba,
  grantTypes.deviceCode,
];

/** Whether the string names a known grant type. */
export function isGrantType(value: string): value is GrantType {
  return (Object.values(grantTypes) as string[]).includes(value);
}
