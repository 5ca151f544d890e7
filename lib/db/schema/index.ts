export * from './organisations';
export * from './users';
export * from './auth';
export * from './outbox';
export * from './notes';
