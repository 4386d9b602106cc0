import postgres from 'postgres';

export type Sql = postgres.Sql;

export interface SqlOptions {
  /** Pool size; the API and worker are small processes, Postgres is shared. */
  max?: number;
  connectTimeoutSeconds?: number;
  applicationName?: string;
}

export function createSql(url: string, options: SqlOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    // Postgres NOTICEs (e.g. "schema already exists") are noise in our logs.
    onnotice: () => undefined,
    connection: { application_name: options.applicationName ?? 'flowline' },
  });
}

/** A short human description of a connection URL without its password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
