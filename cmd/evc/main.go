// Command evc compiles event schemas written in the evc language to Avro
// schemas and Go bindings, checks their compatibility with earlier versions,
// formats them, and imports existing .avsc files.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
