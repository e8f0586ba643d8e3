/** A demo account: its id (the `sub`), name and password. */
export interface DemoAccount {
  id: string;
  name: string;
  email: string;
  password: string;
}

/** The demo's accounts. Their passwords are printed at start-up: this is a demo, not a user store. */
export const demoAccounts: readonly DemoAccount[] = [
  { id: "alice", name: "Alice Liddell", email: "alice@example.org", password: "wonderland" },
  { id: "bob", name: "Bob Builder", email: "bob@example.org", password: "canwefixit" },
];

/** The account with this id, or undefined. */
export function findDemoAccount(id: string): DemoAccount | undefined {
  return demoAccounts.find((account) => account.id === id);
}

/** The account whose password matches, or undefined. */
export function checkDemoLogin(id: string, password: string): DemoAccount | undefined {
  const account = findDemoAccount(id);
  return account !== undefined && account.password === password ? account : undefined;
}
