/** Set by global setup: the server the run uses and the migrated template database each test file copies. */
export function adminUrl(): string {
  return required('TEST_ADMIN_URL');
}

export function templateDatabase(): string {
  return required('TEST_TEMPLATE_DB');
}

/** The URL the application under test connects with: `url` as the service's role when the run has one (TEST_SERVICE_ROLE). */
export function serviceUrl(url: string): string {
  const user = process.env.TEST_SERVICE_USER;
  if (!user) return url;
  const u = new URL(url);
  u.username = user;
  u.password = process.env.TEST_SERVICE_PASSWORD ?? '';
  return u.toString();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (global setup sets it)`);
  return value;
}
