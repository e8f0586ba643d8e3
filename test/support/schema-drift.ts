import { DataSource, type DataSourceOptions } from "typeorm";
import type { Database } from "../../src/store/typeorm/data-source.js";

/**
 * The statements TypeORM would run to make the database match the entities;
 * empty when the migrations created exactly the entity schema. On MariaDB the
 * schema is read with TypeORM's MariaDB dialect, which understands how
 * MariaDB reports column defaults (the service itself talks to it as MySQL).
 */
export async function schemaDrift(database: Database): Promise<string[]> {
  const { dataSource } = database;
  let inspector = dataSource;
  if (dataSource.options.type === "mysql") {
    const [row] = await dataSource.query("SELECT VERSION() AS version");
    if (/mariadb/i.test(String(row.version))) {
      inspector = new DataSource({ ...dataSource.options, type: "mariadb", poolSize: 1 } as DataSourceOptions);
      await inspector.initialize();
    }
  }
  try {
    const log = await inspector.driver.createSchemaBuilder().log();
    return log.upQueries.map((q) => q.query);
  } finally {
    if (inspector !== dataSource) await inspector.destroy();
  }
}
