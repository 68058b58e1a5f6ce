// Package demoenv is the plumbing the example demos share, so that each
// demo's main.go tells only its own story (what it registers, produces and
// routes, and what it prints).
//
// A demo parses its flags with Parse, starts its environment with Start,
// and ends with Consume:
//
//	cfg, err := demoenv.Parse(args, stdout) // --registry, --brokers, --timeout
//	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
//	env, err := demoenv.Start(ctx, cfg, stdout, "my.topic")
//	defer env.Close()
//	err = env.Register(ctx, types...)       // prints each type's subjects
//	p, err := kafka.NewProducer(env.Client, env.Serde)
//	// ... produce, and build a router whose handlers call done.Count ...
//	done := demoenv.NewCountdown(ctx, total)
//	c, err := env.Consumer(r, "evc-demo-mine")
//	return env.Consume(c, done)             // prints "consumed N records; done"
//
// With no flags, Start runs an in-process Schema Registry (franz-go's
// srfake) and Kafka cluster (kfake) on loopback; with --registry and
// --brokers it connects to real ones and creates the missing topics.
//
// Package demotest holds the helpers the demos' tests share.
package demoenv
