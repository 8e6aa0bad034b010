# ffivet's two entry points for a newcomer are `make demo` and `make test`.

GO ?= go
FUZZTIME ?= 10s
# The fuzzer minimizes every new input it finds, by default for up to a
# minute, and runs nothing else meanwhile (0 execs/s): a translation per
# exec makes FuzzBridge's minimizing take all of a brief run. A bound in
# executions keeps the runs fuzzing.
FUZZMINIMIZE ?= 20x

.PHONY: demo test vet unit race fuzz build install realworld

# Run ffivet on the embedded demo package, a small cgo wrapper with real
# bugs. ffivet exits 3 when it reports findings, which is the point here.
demo: build
	@./bin/ffivet ./testdata/src/demo; status=$$?; \
	if [ $$status -ne 3 ]; then echo "make demo: expected findings (exit 3), got exit $$status" >&2; exit 1; fi

# Everything CI runs.
test: vet unit race fuzz

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l . | grep -v '^testdata/')" || { gofmt -l . | grep -v '^testdata/'; echo "gofmt needed" >&2; exit 1; }

unit:
	$(GO) test -count=1 ./...

# The bridge's caches are shared between goroutines.
race:
	$(GO) test -count=1 -race ./bridge/ ./model/... ./internal/... ./passes/...

# Brief runs of each fuzz target; the seeds also run as plain tests.
fuzz:
	@for target in $$($(GO) test -list '^Fuzz' ./bridge/ | grep '^Fuzz'); do \
		echo "fuzz $$target $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./bridge/ || exit 1; \
	done

build:
	$(GO) build -o bin/ffivet ./cmd/ffivet

install:
	$(GO) install ./cmd/ffivet

# ffivet standalone and as go vet's tool on 26 public cgo modules from
# the module proxy and the standard library's cgo packages (the list is in
# cmd/ffivet/realworld_test.go): no crash, exactly the findings triaged in
# docs/findings.md, go-sqlite3's amalgamation translated once. Needs the
# Debian -dev packages that .ci/run installs; downloads and compiles the
# modules. One group alone: make realworld RUN=TestRealWorld/desktop.
realworld:
	FFIVET_REALWORLD=1 $(GO) test -count=1 -timeout 60m -run '$(or $(RUN),TestRealWorld)' -v ./cmd/ffivet/

.PHONY: sarif-test golangci-test

# ffivet -format=sarif validated by Microsoft's SARIF Multitool and by
# ajv against the SARIF 2.1.0 schema, both from the npm registry,
# installed in cmd/ffivet/testdata/sarif. Under a minute.
sarif-test:
	@if command -v npm >/dev/null; then \
		cd cmd/ffivet/testdata/sarif && npm ci --no-audit --no-fund; \
	else \
		echo "sarif-test: npm is not installed; the validation will be skipped (under CI=true it fails)" >&2; \
	fi
	FFIVET_SARIF_VALIDATE=1 $(GO) test -count=1 -run 'TestSARIF' -v ./cmd/ffivet/

# golangci-lint v2 built with ffivet's module plugin, as golangci-lint
# custom builds it, from golangci-lint's source on the module proxy, then
# run on a copy of the demo: the same findings as ffivet at the same
# places, //nolint:ffivet and //ffivet:ignore honoured. About four
# minutes the first time, seconds once the build cache has golangci-lint.
golangci-test:
	FFIVET_GOLANGCI=1 $(GO) test -count=1 -timeout 30m -run TestGolangciLint -v ./cmd/ffivet/golangci/

# ffivet's language server in a real editor: headless Neovim opens a
# buggy file, applies the quick fix ffivet offers and writes the file.
.PHONY: lsp-test
lsp-test:
	@command -v nvim >/dev/null || { echo "make lsp-test needs Neovim: apt-get install neovim" >&2; exit 1; }
	$(GO) test -count=1 -run '^TestNeovim$$' -v ./cmd/ffivet/internal/lsp/
