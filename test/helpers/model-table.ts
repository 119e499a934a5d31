/**
 * The starting table of the InnoDB model tests: four committed rows (id 1..4, v = id * 10) in a
 * new InnoDB table, and the model's committed state to match.
 */
import type mysql from 'mysql2/promise';

/** Committed rows as the model keeps them: id -> v. */
export type ModelState = Map<number, number>;

/** Create `name` with the four starting rows; returns the model's committed state. */
export async function seedModelTable(c: mysql.Connection, name: string): Promise<ModelState> {
  await c.query(`CREATE TABLE ${name} (id INT PRIMARY KEY, v INT) ENGINE=InnoDB`);
  await c.query(`INSERT INTO ${name} VALUES (1,10),(2,20),(3,30),(4,40)`);
  return new Map([
    [1, 10],
    [2, 20],
    [3, 30],
    [4, 40],
  ]);
}
