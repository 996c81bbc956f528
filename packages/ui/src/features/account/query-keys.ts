/** The account feature's react-query key: the account's status (the engine also pushes it). */
export const accountKeys = {
  status: ['account'] as const,
};
