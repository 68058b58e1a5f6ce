// Package kafka connects evc's routing consumer and schema manager to Kafka
// through franz-go's kgo client.
//
// A Consumer polls a consumer group through a franz-go client the caller
// builds (kafka.ConsumerOpts gives the options it needs) and owns, as a
// Producer does; it hands each record to a router.Router and commits a
// record's offset only once Dispatch returned nil for it and for every
// earlier record of its partition: at least once. A failing handler is
// retried and then goes to the router's handler-failure policy; a record
// the policies do not set aside, or whose schema the registry could not
// serve even after retries, stops the consumer before its offset is
// committed, so a restarted consumer sees it again. Cancelling Run's
// context stops polling, commits what was handled and returns nil.
//
//	cl, err := kgo.NewClient(append(kafka.ConsumerOpts("squarebot"), kgo.SeedBrokers(brokers...))...)
//	defer cl.Close()
//	c, err := kafka.NewConsumer(cl, r, kafka.Concurrency(4))
//	err = c.Run(ctx)
//
// Rebalances wait until the records of the current poll are dispatched and
// committed (kgo.BlockRebalanceOnPoll), so a partition never moves to
// another member with handled but uncommitted records. Keep a poll's worth
// of handler time, retries included (router.HandlerRetry and
// router.UnavailableRetry), under the group's rebalance timeout
// (kgo.RebalanceTimeout, 60s by default).
//
// A Producer serializes a generated message (and its key) through the schema
// manager, adds the CloudEvents headers of the binary content mode when the
// IDL declares event metadata for the type, and produces to the topic the
// IDL declares for the type, or to an explicit one. Delete produces a
// tombstone for a key. EventBinding(cloudevents.OpenEdX) writes the headers
// as the Open edX event bus does. Build the producer's client from
// ProducerOpts, which compresses with gzip, the codec every mainstream
// client reads (franz-go's default, snappy, is one kafkajs cannot).
//
// DeadLetterTopic returns a router dead-letter function that copies
// set-aside records to a topic, with headers saying where they came from
// and why (the cause cut to MaxCauseHeader bytes). When a record with those
// headers is over the size limit, its value (and, if need be, its key and
// original headers) is left out, and HeaderDLQOmitted says so: a poison
// record never blocks its partition.
package kafka
