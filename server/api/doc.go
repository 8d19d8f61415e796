// Package api is the wire contract between the browser and the server: the
// request envelope, its statuses and their transitions, the sync messages and
// the error shape. It is compiled into the browser too (GOOS=js GOARCH=wasm),
// so it imports only the standard library and art60/calc.
package api
