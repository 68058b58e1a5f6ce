// Package demoenv is the plumbing the example demos share, so that each
// demo's main.go tells only its own story: what it registers, produces and
// routes, and what it prints.
//
// A demo's main is Main, which parses the flags (--registry, --brokers,
// --timeout) and calls the demo's run function; run starts its environment
// with Start and ends with Consume:
//
//	func main() { demoenv.Main(run) }
//
//	func run(ctx context.Context, cfg demoenv.Config, stdout io.Writer) error {
//		env, err := demoenv.Start(ctx, cfg, stdout, "my.topic") // creates the topic
//		...
//		defer env.Close()
//		err = env.Register(ctx, types...) // prints each type's subjects
//		p, err := kafka.NewProducer(env.Client, env.Serde)
//		// ... produce total records ...
//		done := demoenv.NewCountdown(ctx, total)
//		// ... a router on env.Serde whose handlers call done.Count ...
//		c, err := env.Consumer(r, "evc-demo-mine")
//		return env.Consume(c, done) // prints "consumed N records; done"
//	}
//
// With no flags, Start runs an in-process Schema Registry (franz-go's
// srfake) and Kafka cluster (kfake) on loopback; with --registry and
// --brokers it connects to real ones and creates the missing topics.
//
// Package demotest holds the helpers the demos' tests share.
package demoenv
