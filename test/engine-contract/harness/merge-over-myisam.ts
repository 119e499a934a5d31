/**
 * MERGE under the engine contract suite: a MERGE table needs children, which the suite's
 * scenarios do not create, so this harness engine gives every table it is asked to create one
 * MyISAM child of the same definition (`<name>__child`) and makes the table a MERGE table over
 * it with INSERT_METHOD=LAST: the "alias" use of a MERGE table the manual describes. Every call
 * goes to the real MergeEngine, whose dictionary is this harness (the child's definition and its
 * one handler); the children live in a real MyisamEngine on the same data directory, so a second
 * instance on that directory (the suite's restart) finds their rows.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/merge-storage-engine.html (16.7)
 * @req MERGE-061 PLUGGABLE-001
 */
import type { TableDef } from '../../../src/kernel/table-def.js';
import { internalEngineContext, type EngineContext, type EngineDictionary, type StorageEngine, type TableHandler } from '../../../src/storage/handler.js';
import { MergeEngine } from '../../../src/storage/merge/engine.js';
import { MyisamEngine } from '../../../src/storage/myisam/engine.js';

/** Child table ids sit far above the ids the suite hands out. */
const CHILD_ID_OFFSET = 1_000_000;

export class MergeOverMyisam implements StorageEngine {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly comment: string;
  readonly capabilities: StorageEngine['capabilities'];
  private readonly merge = new MergeEngine();
  private readonly myisam = new MyisamEngine();
  private readonly children = new Map<number, TableDef>();
  private readonly handlers = new Map<number, Promise<TableHandler>>();
  private readonly opened = new Map<number, TableHandler>();

  constructor() {
    this.name = this.merge.name;
    this.aliases = this.merge.aliases;
    this.comment = this.merge.comment;
    this.capabilities = this.merge.capabilities;
    const dictionary: EngineDictionary = {
      // The suite creates tables of the same name again: the latest child of a name is the one.
      table: (schema, name) => [...this.children.values()].reverse().find((d) => d.schema === schema && d.name === name),
      referencedBy: () => [],
      openHandler: (def) => this.opened.get(def.id) ?? this.childHandler(def),
      engineOf: () => this.myisam,
    };
    this.merge.attachDictionary(dictionary);
  }

  private childOf(def: TableDef): TableDef {
    const options = { ...def.options };
    delete options['UNION'];
    delete options['INSERT_METHOD'];
    const child: TableDef = { ...def, id: def.id + CHILD_ID_OFFSET, name: `${def.name}__child`, engine: 'MyISAM', temporary: false, options };
    this.children.delete(child.id);
    this.children.set(child.id, child);
    return child;
  }

  /** The table as the MERGE engine sees it: the same definition object (the suite checks a
   *  handler's definition by identity), its options naming the child. */
  private mergeDef(def: TableDef): TableDef {
    def.options = { ...def.options, UNION: `${def.name}__child`, INSERT_METHOD: 'LAST' };
    return def;
  }

  private childHandler(child: TableDef): Promise<TableHandler> {
    let h = this.handlers.get(child.id);
    if (!h) {
      h = this.myisam.openTable(ctxOf(), child).then((x) => {
        this.opened.set(child.id, x);
        return x;
      });
      this.handlers.set(child.id, h);
    }
    return h;
  }

  async init(datadir: string): Promise<void> {
    await this.myisam.init(datadir);
    await this.merge.init(datadir);
  }

  async shutdown(): Promise<void> {
    for (const h of this.opened.values()) await h.close();
    await this.merge.shutdown();
    await this.myisam.shutdown();
  }

  async createTable(ctx: EngineContext, def: TableDef): Promise<void> {
    await this.myisam.createTable(ctx, this.childOf(def));
    await this.merge.createTable(ctx, this.mergeDef(def));
  }

  async dropTable(ctx: EngineContext, def: TableDef): Promise<void> {
    await this.merge.dropTable(ctx, this.mergeDef(def));
    const child = this.childOf(def);
    const h = this.opened.get(child.id);
    if (h) await h.close();
    this.opened.delete(child.id);
    this.handlers.delete(child.id);
    await this.myisam.dropTable(ctx, child);
    this.children.delete(child.id);
  }

  async renameTable(ctx: EngineContext, from: TableDef, to: TableDef): Promise<void> {
    const oldChild = this.childOf(from);
    const h = this.opened.get(oldChild.id);
    if (h) await h.close();
    this.opened.delete(oldChild.id);
    this.handlers.delete(oldChild.id);
    this.children.delete(oldChild.id);
    await this.myisam.renameTable(ctx, oldChild, this.childOf(to));
    await this.merge.renameTable(ctx, this.mergeDef(from), this.mergeDef(to));
  }

  async openTable(ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    await this.childHandler(this.childOf(def));
    return this.merge.openTable(ctx, this.mergeDef(def));
  }
}

function ctxOf(): EngineContext {
  return internalEngineContext(() => null);
}
