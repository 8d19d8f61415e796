// Command wasm is the browser build of art60 (GOOS=js GOARCH=wasm): it
// registers the routes and hands control to go-app.
package main

import (
	"art60/app/ui"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func main() {
	ui.Register()
	app.RunWhenOnBrowser()
}
