module github.com/evc-dev/evc/bench

go 1.26.8

toolchain go1.27.3

replace github.com/evc-dev/evc => ../

require (
	github.com/actgardner/gogen-avro/v10 v10.2.1
	github.com/bufbuild/protocompile v0.14.1
	github.com/evc-dev/evc v0.0.0-00010101000000-000000000000
	github.com/hamba/avro/v2 v2.31.0
	github.com/sourcegraph/jsonrpc2 v0.2.3
	github.com/twmb/avro v1.9.1
	github.com/twmb/franz-go v1.22.3
	github.com/twmb/franz-go/pkg/kfake v0.0.0-20260918054303-01f206a7e32c
	github.com/twmb/franz-go/pkg/sr v1.8.0
)

require (
	github.com/alecthomas/participle/v2 v2.1.4 // indirect
	github.com/go-viper/mapstructure/v2 v2.4.0 // indirect
	github.com/json-iterator/go v1.1.12 // indirect
	github.com/klauspost/compress v1.20.3 // indirect
	github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect
	github.com/modern-go/reflect2 v1.0.2 // indirect
	github.com/pierrec/lz4/v4 v4.1.33 // indirect
	github.com/twmb/franz-go/pkg/kmsg v1.15.1 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
	google.golang.org/protobuf v1.34.2 // indirect
)
