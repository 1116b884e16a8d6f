// The reference server without the IPC channel, for cold-start timing (see reference.mjs).
process.send ??= () => {};
await import('./reference.mjs');
