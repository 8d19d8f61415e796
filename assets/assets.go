// Package assets holds the files the product ships besides code: the static
// web files served under /web/ (icons, styles) and the UI translation
// catalogues, embedded so that the browser build and the server carry the
// same text.
package assets

import "embed"

// Catalogues holds i18n/<lang>.json: one flat object of message id -> text
// (or plural forms, see app/i18n).
//
//go:embed i18n/*.json
var Catalogues embed.FS

// Web holds the static files served under /web/ (copied next to app.wasm by
// `make build`).
//
//go:embed web
var Web embed.FS
