package demoenv

import (
	"errors"
	"flag"
	"io"
	"strings"
	"time"
)

// Config is what a demo's flags ask for.
type Config struct {
	// Registry is the Schema Registry URL; empty for an in-process one.
	Registry string
	// Brokers are the Kafka seed brokers, as host:port; nil for an
	// in-process cluster.
	Brokers []string
	// Timeout bounds the whole run.
	Timeout time.Duration
}

// Parse parses a demo's flags: --registry and --brokers (both or neither)
// and --timeout (30s by default). Usage and flag errors are printed to
// stdout; -h returns flag.ErrHelp.
func Parse(args []string, stdout io.Writer) (Config, error) {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stdout)
	registry := fs.String("registry", "", "Schema Registry URL (default: an in-process srfake)")
	brokers := fs.String("brokers", "", "Kafka seed brokers, host:port[,host:port] (default: an in-process kfake)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if (*registry == "") != (*brokers == "") {
		return Config{}, errors.New("give both --registry and --brokers, or neither")
	}
	cfg := Config{Registry: *registry, Timeout: *timeout}
	if *brokers != "" {
		cfg.Brokers = strings.Split(*brokers, ",")
	}
	return cfg, nil
}
