// Bundled by the studies benchmark (esbuild, iife) from the app's own worker
// module: in a worker it answers requests as the app's crypto worker does
// (op 'encryptThroughput' runs measureThroughput there); in a page it offers
// measureThroughput on the global `konsilThroughput`.
export { measureThroughput } from '@/lib/client/studies/worker';
