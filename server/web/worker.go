package web

// serviceWorker replaces go-app's default worker (same placeholders). What
// differs and why:
//   - navigations are answered from the cache, ignoring the query, and fall
//     back to the cached "/" shell, so /requests/{id} opens offline too (the
//     wasm routes on the client);
//   - the API, metrics and health checks always go to the network: a cached
//     answer there would be a lie;
//   - installation caches with {cache: "reload"} so a new version never
//     picks up stale files from the HTTP cache.
const serviceWorker = `// art60 service worker, version {{.Version}}
const cacheName = "app-{{.Version}}";
const resourcesToCache = {{.ResourcesToCache}};

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(cacheName);
    await cache.addAll(resourcesToCache.map((url) => new Request(url, { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keys = await caches.keys();
    await Promise.all(keys.filter((k) => k !== cacheName).map((k) => caches.delete(k)));
    await self.clients.claim();
  })());
});

function networkOnly(url) {
  return url.origin !== self.location.origin ||
    url.pathname.startsWith("/api/") ||
    url.pathname === "/metrics" || url.pathname.startsWith("/dev/") ||
    url.pathname === "/healthz";
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || networkOnly(new URL(request.url))) {
    return;
  }
  event.respondWith(fromCache(request));
});

async function fromCache(request) {
  const cache = await caches.open(cacheName);
  const navigate = request.mode === "navigate";
  const cached = await cache.match(request, { ignoreSearch: navigate });
  if (cached) {
    return cached;
  }
  try {
    return await fetch(request);
  } catch (err) {
    if (navigate) {
      const shell = await cache.match("/");
      if (shell) {
        return shell;
      }
    }
    throw err;
  }
}
`
