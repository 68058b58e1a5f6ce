# The two commands the README promises on a fresh machine:
#   make examples   compiles the example schemas (the main job)
#   make test       runs every check and test
GO ?= go

.PHONY: examples test fmt-check vet bench

examples:
	$(GO) run ./cmd/evc compile --avro-out examples/squarebot/avro --go-out examples/squarebot/gen --go-module github.com/evc-dev/evc/examples/squarebot/gen examples/squarebot
	$(GO) run ./cmd/evc compile --avro-out examples/openedx/avro --go-out examples/openedx/gen --go-module github.com/evc-dev/evc/examples/openedx/gen examples/openedx

fmt-check:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...
	cd bench && $(GO) vet ./...

test: fmt-check vet
	$(GO) test -race ./...
	cd bench && $(GO) test -run . -bench . -benchtime 1x ./...

# bench runs the speed comparisons against the anchor libraries.
bench:
	cd bench && $(GO) test -run '^$$' -bench . -benchmem -count 5 ./...
