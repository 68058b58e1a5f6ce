package demoenv

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	success := []struct {
		name string
		args []string
		want Config
	}{
		{"success_none", nil, Config{Timeout: 30 * time.Second}},
		{"success_both", []string{"--registry", "http://sr:8081", "--brokers", "k1:9092,k2:9092"},
			Config{Registry: "http://sr:8081", Brokers: []string{"k1:9092", "k2:9092"}, Timeout: 30 * time.Second}},
		{"success_timeout", []string{"--timeout", "5s"}, Config{Timeout: 5 * time.Second}},
	}
	for _, tc := range success {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.args, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse(%q) = %+v, want %+v", tc.args, got, tc.want)
			}
		})
	}
	failure := []struct {
		name string
		args []string
		want string
	}{
		{"failure_registry_alone", []string{"--registry", "http://sr:8081"}, "give both --registry and --brokers, or neither"},
		{"failure_brokers_alone", []string{"--brokers", "k1:9092"}, "give both --registry and --brokers, or neither"},
		{"failure_unknown_flag", []string{"--nope"}, "flag provided but not defined: -nope"},
		{"failure_bad_timeout", []string{"--timeout", "soon"}, `invalid value "soon" for flag -timeout: parse error`},
		{"failure_help", []string{"-h"}, "flag: help requested"},
	}
	for _, tc := range failure {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.args, io.Discard)
			if err == nil || err.Error() != tc.want {
				t.Errorf("Parse(%q) = %+v, %v; want error %q", tc.args, got, err, tc.want)
			}
		})
	}
}

func TestRun(t *testing.T) {
	var got Config
	var deadline time.Time
	demo := func(ctx context.Context, cfg Config, stdout io.Writer) error {
		got = cfg
		deadline, _ = ctx.Deadline()
		_, err := io.WriteString(stdout, "ran\n")
		return err
	}
	var out bytes.Buffer
	before := time.Now()
	if err := Run(context.Background(), demo, []string{"--timeout", "1h"}, &out); err != nil {
		t.Fatal(err)
	}
	if want := (Config{Timeout: time.Hour}); !reflect.DeepEqual(got, want) {
		t.Errorf("the demo ran with %+v, want %+v", got, want)
	}
	if d := deadline.Sub(before); d < time.Hour || d > time.Hour+time.Minute {
		t.Errorf("the demo's context ends in %v, want an hour", d)
	}
	if out.String() != "ran\n" {
		t.Errorf("output %q", out.String())
	}
}

func TestRun_Flags(t *testing.T) {
	ran := false
	demo := func(context.Context, Config, io.Writer) error { ran = true; return nil }
	err := Run(context.Background(), demo, []string{"--registry", "http://127.0.0.1:1"}, io.Discard)
	if err == nil || err.Error() != "give both --registry and --brokers, or neither" || ran {
		t.Errorf("Run with --registry alone = %v, ran %t", err, ran)
	}
	var out bytes.Buffer
	if err := Run(context.Background(), demo, []string{"--nope"}, &out); err == nil || ran {
		t.Errorf("Run with an unknown flag = %v, ran %t", err, ran)
	}
	if !strings.Contains(out.String(), "-brokers string") {
		t.Errorf("no usage after an unknown flag:\n%s", out.String())
	}
}
