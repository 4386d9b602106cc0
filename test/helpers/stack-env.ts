// How tests find the servers that test/global-setup.ts started (it exports these variables).
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with npm test (jest's global setup sets it).`);
  return value;
}

export const stackEnv = {
  get databaseUrl() {
    return required('FLOWLINE_TEST_DATABASE_URL');
  },
  /** The same database as the app's login role (flowline_app): no privileges of its own. */
  get appDatabaseUrl() {
    return required('FLOWLINE_TEST_APP_DATABASE_URL');
  },
  /** A connection to the same server's maintenance database, for creating throwaway databases. */
  get adminDatabaseUrl() {
    return required('FLOWLINE_TEST_ADMIN_DATABASE_URL');
  },
  get temporalAddress() {
    return required('FLOWLINE_TEST_TEMPORAL_ADDRESS');
  },
  get workflowBundlePath() {
    return required('FLOWLINE_TEST_WORKFLOW_BUNDLE');
  },
  namespace: 'default',
};
