package evcdeps

import (
	_ "github.com/alecthomas/participle/v2"
	_ "github.com/alecthomas/participle/v2/lexer"
	_ "github.com/spf13/cobra"
	_ "github.com/twmb/avro"
	_ "github.com/twmb/franz-go/pkg/kfake"
	_ "github.com/twmb/franz-go/pkg/kgo"
	_ "github.com/twmb/franz-go/pkg/kadm"
	_ "github.com/twmb/franz-go/pkg/sr"
	_ "github.com/twmb/franz-go/pkg/sr/srfake"
)
