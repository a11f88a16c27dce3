/** Entry for the TypeORM CLI (migration:generate / migration:run): the service's DataSource on DATABASE_URL. */
import 'reflect-metadata';
import { createDataSource } from './data-source';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must be set for the TypeORM CLI');
export default createDataSource(url);
