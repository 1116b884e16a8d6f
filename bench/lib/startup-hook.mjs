// Loaded with `node --import` by the scaffold benchmark: on exit, prints how long the process ran after Node's own
// start-up (bootstrap), which is the part a CLI controls; Node's start-up is the same for every CLI and the noisiest.
process.on('exit', () => {
  process.stderr.write(`\nafter-bootstrap-ms ${(performance.now() - performance.nodeTiming.bootstrapComplete).toFixed(2)}\n`);
});
