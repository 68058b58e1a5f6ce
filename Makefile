# The two commands the README promises on a fresh machine:
#   make examples   compiles the example schemas (the main job)
#   make test       runs every check and test
#   make build      builds bin/evc, one static binary (no cgo), as the README installs it
GO ?= go

# Build and test with Go 1.27.3: go1.26.8, what some machines start with, has
# standard-library vulnerabilities that govulncheck reports as reachable. The go
# command fetches this toolchain through the module proxy like a module, once.
# go.mod names it too (toolchain go1.27.3) for GOTOOLCHAIN=auto users.
export GOTOOLCHAIN := go1.27.3

.PHONY: build examples docs test fmt-check vet bench

# build makes the static binary: without cgo evc loads no C library at start,
# which saves several milliseconds a run (see BenchmarkCompile in bench/).
#
# It then writes bin/evc again in 4 MiB writes (dd) and renames it into place.
# The linker writes its output through a memory map, which leaves the file in
# the page cache in 4 KiB pages; written in large blocks, on a recent Linux
# (6.18 here) with ext4 or XFS (large folios) it is cached in 2 MiB pages, and
# each start of evc then maps its code and read-only data 2 MiB per page fault
# instead of 64 KiB: evc version touches about 330 pages instead of 420. On a
# virtual machine where a page fault costs 15-50 us that is a fifth to a third
# of its start-up. Elsewhere, or once the kernel has dropped the file from its
# cache and reads it again, evc starts as it would have.
build:
	CGO_ENABLED=0 $(GO) build -o bin/evc.link ./cmd/evc
	dd if=bin/evc.link of=bin/evc.tmp bs=4194304 2>/dev/null
	chmod +x bin/evc.tmp
	mv -f bin/evc.tmp bin/evc
	rm -f bin/evc.link

# examples also regenerates the bindings of the interop suite's every-type
# record (interop/testdata/v1 and v2).
examples:
	$(GO) run ./cmd/evc compile --avro-out examples/squarebot/avro --go-out examples/squarebot/gen --go-module github.com/evc-dev/evc/examples/squarebot/gen examples/squarebot
	$(GO) run ./cmd/evc compile --avro-out examples/openedx/avro --go-out examples/openedx/gen --go-module github.com/evc-dev/evc/examples/openedx/gen examples/openedx
	$(GO) run ./cmd/evc compile --go-out interop/gen --go-module github.com/evc-dev/evc/interop/gen interop/testdata/v1
	$(GO) run ./cmd/evc compile --go-out interop/gen --go-module github.com/evc-dev/evc/interop/gen interop/testdata/v2

# docs builds each example's event catalog (a static site in
# examples/*/catalog, not checked in) and its AsyncAPI document (checked in).
docs:
	$(GO) run ./cmd/evc doc -o examples/squarebot/catalog --title "Squarebot events" examples/squarebot/*.evc
	$(GO) run ./cmd/evc doc --format asyncapi -o examples/squarebot/asyncapi.json --title "Squarebot events" examples/squarebot/*.evc
	$(GO) run ./cmd/evc doc -o examples/openedx/catalog --title "Open edX learning events" examples/openedx/*.evc
	$(GO) run ./cmd/evc doc --format asyncapi -o examples/openedx/asyncapi.json --title "Open edX learning events" examples/openedx/*.evc

fmt-check:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...
	cd bench && $(GO) vet ./...

# test runs every test with the race detector, then again without it the
# tests whose allocation assertions hold only without it (internal/race).
test: fmt-check vet
	$(GO) test -race ./...
	$(GO) test -run '^(TestDecodeFrom_FieldByField|TestDecodeFrom_CutsLargeSkipped|TestTree_DecodeAllocations)$$' ./runtime/resolve ./backend/golang
	cd bench && $(GO) test -run . -bench . -benchtime 1x ./...

# bench runs the speed comparisons against the anchor libraries.
bench:
	cd bench && $(GO) test -run '^$$' -bench . -benchmem -count 5 ./...
