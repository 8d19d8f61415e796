# art60: `make run` from a fresh clone, `make test` for the whole suite.
SHELL := /bin/bash
GO ?= go
GOROOT := $(shell $(GO) env GOROOT)
WASM_EXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
ADDR ?= 127.0.0.1:8080
# Packages whose tests must also pass compiled to wasm (they ship in the browser).
WASM_TEST_PKGS := ./calc/... ./app/i18n/...

GO_SOURCES := $(shell find . -name '*.go' -not -path './web/*' -not -path './data/*' -not -path './bin/*') go.mod go.sum
STATIC := $(wildcard assets/web/*)

.PHONY: all build run test vet lint unit wasmtest e2e e2e-sqlite bench bench-smoke clean fmt fuzz torture worker worker-db worker-dev worker-e2e worker-bench worker-mail worker-argon

all: build

build: bin/art60 web/app.wasm.br web/.static

bin/art60: $(GO_SOURCES) $(STATIC) assets/i18n/*.json
	$(GO) build -trimpath -o $@ ./server

# The browser build: no server packages, no DWARF, go-app without its HTTP
# handler (tools/goappwasm), and no inlining outside calc, whose solve runs
# on every edit: inlined copies of the same code compress worse, 166 KB of
# brotli on 2026-11-29 (README, "Performance"). It must not link net/http.
WASM_MOD := bin/goapp-wasm/wasm.mod
WASM_GCFLAGS := -gcflags=all=-l -gcflags=art60/calc/...=
web/app.wasm: $(GO_SOURCES) assets/i18n/*.json
	@mkdir -p web
	$(GO) run ./tools/goappwasm bin/goapp-wasm
	GOOS=js GOARCH=wasm $(GO) build -modfile=$(WASM_MOD) -trimpath $(WASM_GCFLAGS) -ldflags='-s -w' -o $@ ./wasm
	@if GOOS=js GOARCH=wasm $(GO) list -modfile=$(WASM_MOD) -deps ./wasm | grep -xE 'net/http|crypto/tls'; then \
	  echo "the browser build links the packages above"; exit 1; fi

web/app.wasm.br: web/app.wasm
	$(GO) run ./tools/precompress web/app.wasm

web/.static: $(STATIC)
	@mkdir -p web
	cp assets/web/* web/
	@touch $@

run: build
	@mkdir -p data
	./bin/art60 serve -addr $(ADDR) -demo

test: vet lint build unit wasmtest bench-smoke e2e e2e-sqlite worker-e2e worker-mail

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "not gofmt-formatted:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./calc/... ./app/... ./wasm/... ./server/api/... ./worker/... ./server/store/d1/...

# staticcheck for both builds: the browser's (js/wasm) sees other files.
lint:
	GOBIN=$(CURDIR)/bin $(GO) install $(STATICCHECK)
	./bin/staticcheck ./...
	GOOS=js GOARCH=wasm ./bin/staticcheck ./app/... ./wasm/... ./calc/... ./server/api/... ./worker/... ./server/store/d1/...

# At another date: make unit ART60_TEST_NOW=2031-06-15T10:00:00+02:00 (the
# API's test fixtures start their clock there; README, "Tests at another date").
# Needs the build: tools/torture/harness runs a 5-kill torture of bin/art60.
unit: build
	$(GO) test -count=1 $$($(GO) list ./... | grep -v /e2e)

# Tests compiled to wasm run under Node (go_js_wasm_exec).
wasmtest:
	PATH="$(GOROOT)/lib/wasm:$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(WASM_EXEC)" $(WASM_TEST_PKGS)

# Browser tests in real Chromium against the built binary and wasm.
e2e: build e2e/node_modules/axe-core/axe.min.js
	$(GO) test -count=1 -v -timeout 25m ./e2e/ 2>&1 | tee e2e.log | grep -E '^(=== RUN|--- |PASS|FAIL|ok|panic)|_test.go' ; exit $${PIPESTATUS[0]}

# The browser tests run on the store ART60_STORE names (the server they start
# inherits the environment): ART60_STORE=sqlite make e2e runs them all on
# SQLite. make test runs these two on SQLite too, about a minute.
E2E_SQLITE := TestAgentValidates|TestSendWhileServerStopped
e2e-sqlite: build e2e/node_modules/axe-core/axe.min.js
	ART60_STORE=sqlite $(GO) test -count=1 -v -timeout 5m -run '$(E2E_SQLITE)' ./e2e/ 2>&1 | tee e2e-sqlite.log | grep -E '^(=== RUN|--- |PASS|FAIL|ok|panic)|_test.go' ; exit $${PIPESTATUS[0]}

e2e/node_modules/axe-core/axe.min.js: e2e/package.json e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund
	@touch $@

# Every fuzz target, one after the other, FUZZTIME each (README, "Fuzzing").
# A failure stops the run; its input lands in the package's testdata/fuzz/.
FUZZTIME ?= 30s
FUZZ_TARGETS := \
	./calc:FuzzDecode ./calc:FuzzValidate ./calc:FuzzSolve ./calc:FuzzParseNISS \
	./server/httpapi:FuzzPushBody ./server/httpapi:FuzzDecisionBody ./server/httpapi:FuzzParseCursor ./server/api:FuzzValidEmail \
	./app/ui:FuzzParsePastedRows ./app/drafts:FuzzImport

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "== $$name ($$pkg, $(FUZZTIME))"; \
	  $(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) $$pkg; \
	done

# SIGKILL the built server TRIALS times under concurrent load and check
# every acknowledged write after each restart (README, "Guarantees").
TRIALS ?= 100
torture: build
	$(GO) run ./tools/torture -bin bin/art60 -web web -trials $(TRIALS)

# One table of the figures of README "Performance", each beside its target
# (tools/bench: calc's solve, push throughput and p99, a new device's pull
# of 10,000 requests, server memory and disk, wasm size, and what the
# browser tests log). Minutes, not for CI: CI runs bench-smoke, every step
# once and small, to keep the tooling working.
bench: build e2e/node_modules/axe-core/axe.min.js
	$(GO) run ./tools/bench

bench-smoke: build
	$(GO) run ./tools/bench -smoke

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin web e2e/artifacts e2e.log e2e-sqlite.log

# The API on Cloudflare Workers (README, "Cloudflare Workers"): worker/build
# holds the wasm, github.com/syumai/workers' JavaScript glue and our entry
# (worker/glue/worker.mjs: one Go instance per isolate), and build/public
# the PWA as static assets, written by the Go server's own PWA handler
# (tools/staticsite: every page, the service worker and what it caches,
# _headers with the security headers). The build must link neither Badger
# nor a SQLite engine (D1 is the database there).
worker: $(GO_SOURCES) web/app.wasm web/.static
	$(GO) run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o worker/build
	$(GO) run ./tools/staticsite -web web -o worker/build/public
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o worker/build/app.wasm ./worker
	cp worker/glue/worker.mjs worker/build/worker.mjs
	@if GOOS=js GOARCH=wasm $(GO) list -deps ./worker | grep -E 'dgraph-io/badger|modernc.org/sqlite'; then \
	  echo "the Worker build links Badger or SQLite"; exit 1; fi
	@echo "worker/build/app.wasm: $$(stat -c %s worker/build/app.wasm) bytes, $$(gzip -9 -c worker/build/app.wasm | wc -c) gzipped"

# The npm packages of worker/package-lock.json (wrangler, workerd): a
# missing one fails the build (npm ci passes over an optional package it
# could not install, such as workerd's binary: hence the two --version),
# and wrangler is never fetched on the fly.
WRANGLER := node_modules/.bin/wrangler
# No usage data sent from tests and development runs.
export WRANGLER_SEND_METRICS = false
worker/node_modules/.bin/wrangler: worker/package.json worker/package-lock.json
	cd worker && npm ci --no-audit --no-fund && node_modules/.bin/workerd --version && $(WRANGLER) --version
	@touch $@

# A development key, made once: the Worker reads it as its secret ART60_KEY;
# the base URL is the Origin the API's CSRF check accepts.
worker/.dev.vars:
	@umask 077 && { echo "ART60_KEY=$$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"; \
	  echo "ART60_BASE_URL=http://127.0.0.1:8787"; } > $@

# The local D1 under worker/.wrangler: the shared migrations, then the demo
# accounts of make run (tools/d1seed; INSERT OR IGNORE, so it runs again).
# FRESH=1 starts from an empty local D1 (the tests do, so runs repeat).
worker-db: worker worker/node_modules/.bin/wrangler worker/.dev.vars
	$(if $(FRESH),rm -rf worker/.wrangler/state)
	cd worker && $(WRANGLER) d1 migrations apply DB --local
	set -a && . worker/.dev.vars && $(GO) run ./tools/d1seed > worker/build/seed.sql
	cd worker && $(WRANGLER) d1 execute DB --local --file build/seed.sql

# wrangler dev --local on 127.0.0.1:8787: workerd and the local D1, no
# Cloudflare account, no network.
worker-dev: worker-db
	cd worker && $(WRANGLER) dev --local

# WORKER_PORT=8797 make worker-e2e (or worker-bench) runs beside another
# wrangler dev.
WORKER_PORT ?= 8787
WORKER_URL := http://127.0.0.1:$(WORKER_PORT)

# The start of a recipe's shell line: the Worker of worker-dev (on the
# fresh local D1 of the prerequisite worker-db with FRESH=1), in its own
# process group, stopped when the line's shell exits; ready when its static
# assets answer (the Go program is not started yet: its first request is a
# cold one).
define WORKER_START
if curl -s -o /dev/null $(WORKER_URL)/; then echo "$(WORKER_URL) already answers: stop that server or set WORKER_PORT"; exit 1; fi; \
	  setsid bash -c 'cd worker && exec $(WRANGLER) dev --local --port $(WORKER_PORT) --var ART60_BASE_URL:$(WORKER_URL) $(WORKER_DEV_FLAGS)' > worker/build/dev.log 2>&1 & dev=$$!; \
	  trap 'kill -- -'$$dev' 2>/dev/null' EXIT; \
	  for i in $$(seq 120); do curl -sf -o /dev/null $(WORKER_URL)/manifest.webmanifest && break; kill -0 $$dev 2>/dev/null || break; sleep 1; done; \
	  curl -sf -o /dev/null $(WORKER_URL)/manifest.webmanifest || { echo "wrangler dev did not start:"; cat worker/build/dev.log; exit 1; }
endef

# Against that Worker: the black-box API suite (server/contract), the
# browser test of a request validated by an agent then every screen
# offline, and the PWA's headers (e2e, -tags worker, ART60_WORKER_URL);
# then neither a NISS of the suite (born 1985-07-30: 850730…) nor the
# browser test's person may be readable in the local D1 files.
WORKER_TESTS := TestTheAPIContractHoldsOnTheWorker|TestAgentValidatesOnTheWorker|TestThePWAOnTheWorkerCarriesTheServersHeaders
worker-e2e worker-bench: FRESH = 1
worker-e2e: worker-db e2e/node_modules/axe-core/axe.min.js
	@$(WORKER_START); \
	  ART60_WORKER_URL=$(WORKER_URL) $(GO) test -tags worker -count=1 -v -timeout 10m -run '$(WORKER_TESTS)' ./e2e/ && \
	  if grep -rlE '850730[0-9]{5}|Vanderzwalmen' worker/.wrangler/; then echo "a NISS or a name of the tests is readable in the local D1 files"; exit 1; fi

# The figures of README "Cloudflare Workers": the Worker's first request
# (cold: the Go program starts and opens the store) and the next ones
# (warm) on /healthz, then push throughput with 20 devices against the
# Worker and against the Go server (server/loadtest -child: art60's API in
# its own process on a fresh Badger store), one after the other.
LOAD_DURATION ?= 10s
worker-bench: worker-db
	@$(WORKER_START); \
	  uptime; \
	  for i in 1 2 3 4 5 6; do curl -sf -o /dev/null -w "GET /healthz: %{time_total} s\n" $(WORKER_URL)/healthz || exit 1; done; \
	  $(GO) build -o worker/build/loadtest ./server/loadtest && \
	  echo "== the Worker" && worker/build/loadtest -url $(WORKER_URL) -clients 20 -duration $(LOAD_DURATION) && \
	  echo "== the Go server" && worker/build/loadtest -child -clients 20 -duration $(LOAD_DURATION)

# The Cron Triggers against a real SMTP listener (README, "Cloudflare
# Workers", mail and retention): the Worker with --test-scheduled (GET
# /__scheduled?cron=… runs a trigger) and its SMTP server on loopback,
# where the test (worker/mail_worker_test.go) listens with the in-repo sink
# (server/mail); it reads the Worker's log (worker/build/dev.log) for the
# daily retention pass.
WORKER_SMTP ?= 127.0.0.1:2525
worker-mail: FRESH = 1
worker-mail: WORKER_DEV_FLAGS = --test-scheduled --var ART60_SMTP_ADDR:$(WORKER_SMTP) \
	  --var ART60_SMTP_FROM:noreply@onem.test --var ART60_SMTP_TLS:none
worker-mail: worker-db
	@$(WORKER_START); \
	  ART60_WORKER_URL=$(WORKER_URL) ART60_WORKER_SMTP=$(WORKER_SMTP) ART60_WORKER_LOG=$(CURDIR)/worker/build/dev.log \
	  $(GO) test -tags worker -count=1 -v -run TestTheCronTriggerSendsTheOutboxOverATCPSocket ./worker/

# argon2id under workerd (README, "Cloudflare Workers", argon2id): the
# measuring Worker of tools/argonworker on 127.0.0.1:8790, timed from
# outside by tools/argonworker/measure.
worker-argon: worker/node_modules/.bin/wrangler
	$(GO) run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o tools/argonworker/build
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o tools/argonworker/build/app.wasm ./tools/argonworker
	@setsid bash -c 'cd tools/argonworker && exec ../../worker/$(WRANGLER) dev --local' \
	  > tools/argonworker/build/dev.log 2>&1 & dev=$$!; \
	  trap 'kill -- -'$$dev' 2>/dev/null' EXIT; \
	  for i in $$(seq 120); do curl -sf -o /dev/null 'http://127.0.0.1:8790/?n=0' && break; sleep 1; done; \
	  $(GO) run ./tools/argonworker/measure
