export * from './organisations';
export * from './users';
export * from './auth';
export * from './outbox';
export * from './notes';
export * from './video';
export * from './stats';
export * from './messaging';
