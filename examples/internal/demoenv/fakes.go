package demoenv

import (
	"strings"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/sr/srfake"
)

// Fakes are an in-process Schema Registry (srfake) and a one-broker Kafka
// cluster (kfake) with no topics, both on loopback. Start runs a demo on
// them when it is given no flags; tests start them to stand in for real
// services.
type Fakes struct {
	// Registry is the Schema Registry.
	Registry *srfake.Registry
	// Cluster is the Kafka cluster.
	Cluster *kfake.Cluster
}

// StartFakes starts a registry and a cluster; Close stops them.
func StartFakes() (*Fakes, error) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		return nil, err
	}
	return &Fakes{Registry: srfake.New(), Cluster: cluster}, nil
}

// Args returns the flags that point a demo at f, as at real services:
// --registry and --brokers.
func (f *Fakes) Args() []string {
	return []string{"--registry", f.Registry.URL(), "--brokers", strings.Join(f.Cluster.ListenAddrs(), ",")}
}

// Close stops the cluster and the registry.
func (f *Fakes) Close() {
	f.Cluster.Close()
	f.Registry.Close()
}
