package ui

import "time"

// now is the screens' one clock: today's date for the end-of-contract
// window, the queue's overdue marks and the print date, and the stamps of
// drafts. It is the browser's clock (Go's time in wasm reads Date), so a
// browser test that needs another day shifts Date before the app starts.
var now = time.Now
