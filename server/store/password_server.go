//go:build !(js && wasm)

package store

// argonHash is the Go server's: argonServer.
var argonHash = argonServer
