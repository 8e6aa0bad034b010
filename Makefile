# ffivet's two entry points for a newcomer are `make demo` and `make test`.

GO ?= go
FUZZTIME ?= 10s

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
	$(GO) test -count=1 -race ./bridge/ ./model/...

# Brief runs of each fuzz target; the seeds also run as plain tests.
fuzz:
	@for target in $$($(GO) test -list '^Fuzz' ./bridge/ | grep '^Fuzz'); do \
		echo "fuzz $$target $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) ./bridge/ || exit 1; \
	done

build:
	$(GO) build -o bin/ffivet ./cmd/ffivet

install:
	$(GO) install ./cmd/ffivet

# ffivet standalone and as go vet's tool on public cgo modules from the
# module proxy (go-sqlite3, zstd): no crash, the amalgamation translated
# once. Downloads and compiles them: about two minutes.
realworld:
	FFIVET_REALWORLD=1 $(GO) test -count=1 -run TestRealWorld -v ./cmd/ffivet/
