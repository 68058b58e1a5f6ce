package interop_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestNode exchanges records with kafkajs and
// @kafkajs/confluent-schema-registry (avsc), installed by npm ci in
// interop/node.
func TestNode(t *testing.T) {
	t.Parallel()
	_, err := exec.LookPath("node")
	need(t, "node", err == nil)
	_, err = os.Stat(filepath.Join("node", "node_modules", "kafkajs", "package.json"))
	need(t, "the npm packages of interop/node (npm ci --prefix interop/node)", err == nil)
	testClient(t, client{name: "node", cmd: func(ctx context.Context, jobFile, outFile string) *exec.Cmd {
		return exec.CommandContext(ctx, "node", filepath.Join("node", "client.js"), jobFile, outFile)
	}})
}

// python is Debian's interpreter, where apt installs python3-confluent-kafka
// and python3-avro.
const python = "/usr/bin/python3"

// TestPython exchanges records with confluent-kafka-python (librdkafka) and
// its AvroProducer and AvroConsumer over Apache Avro's python3-avro.
func TestPython(t *testing.T) {
	t.Parallel()
	err := exec.Command(python, "-c", "import confluent_kafka.avro, avro.io").Run()
	need(t, "python3-confluent-kafka, python3-avro and python3-requests (apt)", err == nil)
	testClient(t, client{name: "python", cmd: func(ctx context.Context, jobFile, outFile string) *exec.Cmd {
		return exec.CommandContext(ctx, python, filepath.Join("python", "client.py"), jobFile, outFile)
	}})
}
