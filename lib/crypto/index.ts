export * from './types';
export * from './encoding';
export * from './random';
export * from './kdf';
export * from './envelope';
export * from './asymmetric';
export * from './stream';
