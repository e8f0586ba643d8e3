/**
 * Size limits of stored values, in Unicode code points. Columns are sized so
 * that any value within these limits fits (4 bytes per code point).
 */
export const limits = {
  /** subject ids, session ids, client ids, session keys */
  identifier: 200,
  displayName: 200,
  issuer: 500,
  scheme: 100,
  /** a persisted grant's description */
  grantDescription: 200,
  /** client ids in one RemoveSessions request */
  clientIdsPerRequest: 1000,
  /** characters of a results token; real ones are under 100 */
  resultsToken: 512,
  /** notification ids in one RetryNotifications request */
  notificationIdsPerRequest: 1000,
} as const;
