// What the package exports, in every runtime (the entries re-export this module). The
// instance's life cycle (ready, loading) and the error factory stay internal.
export * from './generated/errors.mjs';
export { AbortError, Avochato, PageIterator, normalizePhone, __decodeForTests, __panicForTests } from './client.mjs';
export { default } from './client.mjs';
