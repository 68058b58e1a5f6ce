package router_test

import (
	"context"
	"fmt"

	"github.com/evc-dev/evc/runtime/router"
)

// A router with two routes on one topic, and a record each matches. Msg,
// UserKey and newFake stand in for generated types and the serde manager.
func Example() {
	r, err := router.New(newFake(msgType, reactionType, userKeyType), router.OnUnmatched(router.Skip), router.ReportFunc(func(_ context.Context, rec *router.Record, cause error) {
		fmt.Println("skipped:", cause)
	}))
	if err != nil {
		panic(err)
	}
	_ = router.Handle(r, []string{"chat"}, func(ctx context.Context, topic string, key *UserKey, msg *Msg) error {
		rec, _ := router.FromContext(ctx)
		fmt.Printf("message from %s on %s at offset %d: %s\n", key.ID, topic, rec.Offset, msg.Text)
		return nil
	})
	_ = router.HandleValue(r, []string{"chat"}, func(ctx context.Context, topic string, re *Reaction) error {
		fmt.Printf("reaction on %s: %s\n", topic, re.Emoji)
		return nil
	})

	ctx := context.Background()
	_ = r.Dispatch(ctx, &router.Record{Topic: "chat", Offset: 1, Key: enc(&UserKey{"ada"}), Value: enc(&Msg{"hello"})})
	_ = r.Dispatch(ctx, &router.Record{Topic: "chat", Offset: 2, Value: enc(&Reaction{":tada:"})})
	_ = r.Dispatch(ctx, &router.Record{Topic: "chat", Offset: 3, Value: enc(&Msg{"no key"})})
	// Output:
	// message from ada on chat at offset 1: hello
	// reaction on chat: :tada:
	// skipped: evc: no route for value type "test.message" at topic "chat" partition 0 offset 3
}
