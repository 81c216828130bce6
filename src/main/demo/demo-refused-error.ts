// Its own module so the CLI can recognise it without loading the demo.
export class DemoRefusedError extends Error {
  constructor(reason: string) {
    super(`Refusing to load demo data: ${reason}. Use an empty home (KASSEBRO_HOME or --db) for the demo.`);
    this.name = 'DemoRefusedError';
  }
}
