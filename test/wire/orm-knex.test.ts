/**
 * An application's view of refmysqld through an ORM: knex (over mysql2) runs schema migrations
 * forward and back on the default engine, and its transactions commit and roll back. The point
 * is to catch, in the default run, the regressions a real application would hit first: the
 * statements a migration tool sends (its lock table, `SELECT ... FOR UPDATE`, information_schema
 * lookups, ALTER TABLE with foreign keys) rather than the statements our own tests think of.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import knexFactory, { type Knex } from 'knex';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let db: Knex;

/** Two migrations, as an application would keep them in files: authors, then books by authors. */
const migrations: Record<string, { up(k: Knex): Promise<void>; down(k: Knex): Promise<void> }> = {
  '001_authors': {
    async up(k) {
      await k.schema.createTable('authors', (t) => {
        t.increments('id');
        t.string('name', 100).notNullable().unique();
        t.timestamps(true, true);
      });
    },
    async down(k) {
      await k.schema.dropTable('authors');
    },
  },
  '002_books': {
    async up(k) {
      await k.schema.createTable('books', (t) => {
        t.increments('id');
        t.string('title').notNullable();
        t.integer('author_id').unsigned().notNullable().references('id').inTable('authors').onDelete('CASCADE');
        t.decimal('price', 8, 2).defaultTo(0);
        t.json('tags');
        t.index(['title']);
      });
      await k.schema.alterTable('authors', (t) => {
        t.text('bio');
      });
    },
    async down(k) {
      await k.schema.alterTable('authors', (t) => {
        t.dropColumn('bio');
      });
      await k.schema.dropTable('books');
    },
  },
};

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (m) => m,
  getMigration: async (m) => migrations[m]!,
};

async function tables(): Promise<string[]> {
  const rows = (await db.raw("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'app' ORDER BY TABLE_NAME"))[0] as { t: string }[];
  return rows.map((r) => r.t);
}

beforeAll(async () => {
  srv = await startTestServer();
  const c = await srv.connect();
  await c.query('CREATE DATABASE app');
  await c.end();
  db = knexFactory({
    client: 'mysql2',
    connection: { host: '127.0.0.1', port: srv.port, user: 'root', password: '', database: 'app' },
    pool: { min: 0, max: 4 },
  });
});

afterAll(async () => {
  await db?.destroy();
  await srv?.stop();
});

describe('knex migrations and transactions against refmysqld', () => {
  it(req(['CORE-PEER-012#migrate'], 'wire', 'migrate:latest creates the tables, keys and its bookkeeping; migrate:rollback undoes the batch'), async () => {
    const [batch, done] = (await db.migrate.latest({ migrationSource: source })) as [number, string[]];
    expect(batch).toBe(1);
    expect(done).toEqual(['001_authors', '002_books']);
    expect(await tables()).toEqual(['authors', 'books', 'knex_migrations', 'knex_migrations_lock']);
    // The foreign key and the unique key knex asked for exist and hold.
    await db('authors').insert({ name: 'Ada' });
    await expect(db('authors').insert({ name: 'Ada' })).rejects.toMatchObject({ errno: 1062 });
    await expect(db('books').insert({ title: 'x', author_id: 999 })).rejects.toMatchObject({ errno: 1452 });
    const [[engine]] = (await db.raw("SELECT ENGINE AS e FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME = 'books'")) as [{ e: string }[]];
    expect(engine!.e).toBe('InnoDB');
    const recorded = await db('knex_migrations').select('name', 'batch').orderBy('id');
    expect(recorded).toEqual([{ name: '001_authors', batch: 1 }, { name: '002_books', batch: 1 }]);

    // Nothing new: a second latest is a no-op.
    const [batch2, done2] = (await db.migrate.latest({ migrationSource: source })) as [number, string[]];
    expect([batch2, done2]).toEqual([1, []]);

    const [, undone] = (await db.migrate.rollback({ migrationSource: source })) as [number, string[]];
    expect(undone).toEqual(['002_books', '001_authors']);
    expect(await tables()).toEqual(['knex_migrations', 'knex_migrations_lock']);
    expect(await db('knex_migrations').count({ n: '*' })).toEqual([{ n: 0 }]);

    // And forward again, as a deploy after a rollback does.
    const [batch3, done3] = (await db.migrate.latest({ migrationSource: source })) as [number, string[]];
    expect([batch3, done3]).toEqual([1, ['001_authors', '002_books']]);
    const cols = (await db.raw("SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME = 'authors' ORDER BY ORDINAL_POSITION"))[0] as { c: string }[];
    expect(cols.map((r) => r.c)).toEqual(['id', 'name', 'created_at', 'updated_at', 'bio']);
  });

  it(req(['CORE-PEER-012#transactions'], 'wire', 'a knex transaction commits as a unit, and one that throws leaves nothing behind, while another pooled connection reads'), async () => {
    const a = await db('authors').insert({ name: 'Grace' });
    const authorId = a[0]!;
    await db.transaction(async (trx) => {
      await trx('books').insert({ title: 'one', author_id: authorId, price: 12.5, tags: JSON.stringify(['a']) });
      await trx('books').insert({ title: 'two', author_id: authorId });
      // Another pooled connection does not see the uncommitted rows.
      expect(await db('books').where({ author_id: authorId }).count({ n: '*' })).toEqual([{ n: 0 }]);
    });
    expect(await db('books').where({ author_id: authorId }).orderBy('id').select('title', 'price')).toEqual([
      { title: 'one', price: '12.50' },
      { title: 'two', price: '0.00' },
    ]);

    await expect(
      db.transaction(async (trx) => {
        await trx('books').insert({ title: 'three', author_id: authorId });
        await trx('books').where({ title: 'one' }).update({ price: 99 });
        await trx('books').insert({ title: 'bad', author_id: 424242 });
      }),
    ).rejects.toMatchObject({ errno: 1452 });
    expect(await db('books').where({ author_id: authorId }).orderBy('id').select('title', 'price')).toEqual([
      { title: 'one', price: '12.50' },
      { title: 'two', price: '0.00' },
    ]);

    // ON DELETE CASCADE through the ORM's delete.
    await db('authors').where({ id: authorId }).del();
    expect(await db('books').where({ author_id: authorId }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
