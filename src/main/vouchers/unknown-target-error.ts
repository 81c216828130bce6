// Its own module so the CLI can recognise it without loading voucher preparation.
export class UnknownTargetError extends Error {
  constructor(readonly targetId: string) {
    super(`No target called "${targetId}" is set up`);
    this.name = 'UnknownTargetError';
  }
}
