package privacy

import "art60/server/api"

// NISSOf is the digits of the NISS a request's case names, "" for none: the
// one reading of a case's NISS, which a store uses to index requests by a
// keyed hash of it (server/store/sqlite).
func NISSOf(r *api.Request) string { return nissOf(r) }
