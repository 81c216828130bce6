// Its own module so the CLI can recognise it without loading the database driver.
export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}
