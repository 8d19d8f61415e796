//go:build js && wasm

package store

// argonHash is the Cloudflare Worker's (the one js/wasm build of the
// store): argonWorker.
var argonHash = argonWorker
