// art60's Worker entry, in place of the worker.mjs of
// github.com/syumai/workers' workers-assets-gen (make worker copies it into
// build/). That one starts a new Go instance for every request: the 14 MB
// module instantiated, the runtime, the store and the API set up again each
// time, about a second of CPU, so 50 requests at once queue for half a
// minute. This one starts one Go instance per isolate, on the first event,
// and hands it every request and Cron Trigger; the Go side serves each in
// its own goroutine.
// The bindings (env) are the isolate's, the same for every request.
import "./wasm_exec.js";
import { createRuntimeContext, loadModule } from "./runtime.mjs";

globalThis.tryCatch = (fn) => {
  try {
    return { result: fn() };
  } catch (e) {
    return { error: e };
  }
};

const binding = {};
let started;

function start(env, ctx) {
  if (started === undefined) {
    started = (async () => {
      const mod = await loadModule();
      const go = new Go();
      let ready;
      const readyPromise = new Promise((resolve) => {
        ready = resolve;
      });
      const instance = new WebAssembly.Instance(mod, {
        ...go.importObject,
        workers: { ready: () => ready() },
      });
      // Should the program end (a panic), the next request starts another.
      go.run(instance, createRuntimeContext({ env, ctx, binding })).finally(() => {
        started = undefined;
      });
      await readyPromise;
    })();
  }
  return started;
}

// Requests enter the Go program one at a time (inTurn), each until its
// body is read. The Go scheduler runs every goroutine inside whichever
// request's call into Go is under way, so a D1 query of one request issued
// while another was in Go belonged to that other request; when that one
// ended first, workerd cancelled the query and reported the first request
// as hung (server/loadtest with 4 devices under wrangler dev --local).
let queue = Promise.resolve();

function inTurn(fn) {
  const turn = queue.then(fn);
  queue = turn.catch(() => {});
  return turn;
}

async function fetch(req, env, ctx) {
  await start(env, ctx);
  return inTurn(async () => {
    const res = await binding.handleRequest(req);
    return new Response(await res.arrayBuffer(), res);
  });
}

// A Cron Trigger (wrangler.toml [triggers]): the same Go instance runs
// worker/scheduled's pass, in its turn as a request (its D1 queries and its
// SMTP socket belong to its event); requests wait while it runs.
async function scheduled(event, env, ctx) {
  await start(env, ctx);
  return inTurn(() => binding.runScheduler(event));
}

export default { fetch, scheduled };
