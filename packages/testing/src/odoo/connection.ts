import pg from 'pg';
import { resolvePostgres } from '../postgres-server';

/** How Odoo reaches Postgres: never as `postgres` (Odoo refuses that role). */
export interface OdooDbConnection {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

export function odooDbArgs(conn: OdooDbConnection): string[] {
  const args = ['--db_host', conn.host, '--db_port', String(conn.port), '--db_user', conn.user];
  if (conn.password !== '') args.push('--db_password', conn.password);
  return args;
}

/** Makes sure the Odoo role exists and may create databases; returns how Odoo should connect. */
export async function ensureOdooRole(): Promise<OdooDbConnection> {
  const server = await resolvePostgres();
  const admin = new URL(server.adminUrl);
  const user = process.env['ODOO_DB_USER'] ?? 'odoo';
  const password = process.env['ODOO_DB_PASSWORD'] ?? '';
  if (user === 'postgres') throw new Error('ODOO_DB_USER must not be postgres: Odoo refuses that role');
  const client = new pg.Client({ connectionString: server.adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user]);
    const ident = client.escapeIdentifier(user);
    const pass = password === '' ? '' : ` PASSWORD ${client.escapeLiteral(password)}`;
    await client.query(
      exists.rowCount === 1
        ? `ALTER ROLE ${ident} LOGIN CREATEDB${pass}`
        : `CREATE ROLE ${ident} LOGIN CREATEDB${pass}`,
    );
  } finally {
    await client.end();
  }
  return { host: admin.hostname, port: Number(admin.port === '' ? 5432 : admin.port), user, password };
}
