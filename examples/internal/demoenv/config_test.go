package demoenv

import (
	"io"
	"reflect"
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
