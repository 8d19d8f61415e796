//go:build !(js && wasm)

package ui

import "art60/app/drafts"

// On the server (pre-rendering) there is no device: an empty memory store.
func openDeviceStore(string) (drafts.Store, error) { return drafts.NewMemory(), nil }

func closeDeviceStore(drafts.Store) {}

func deleteDeviceStore(string) error { return nil }

func showSaving(bool) {}

func guardUnload() {}
