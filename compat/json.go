package compat

import (
	"encoding/json"
	"io"

	"github.com/evc-dev/evc/diag"
)

// JSONVersion is the version of the JSON report's schema. It changes only
// when a key is removed or changes meaning; new keys may be added within a
// version.
const JSONVersion = 1

// jsonReport is the JSON report: every key is always present, and lists are
// never null, so that tools need no special cases.
type jsonReport struct {
	Version      int           `json:"version"`
	Compatible   bool          `json:"compatible"`
	Summary      string        `json:"summary"`
	UpgradeOrder string        `json:"upgrade_order"`
	BackwardOK   bool          `json:"backward_compatible"`
	ForwardOK    bool          `json:"forward_compatible"`
	Counts       jsonCounts    `json:"counts"`
	Types        []jsonType    `json:"types"`
	Findings     []jsonFinding `json:"findings"`
}

type jsonCounts struct {
	Checked      int `json:"checked"`
	Errors       int `json:"errors"`
	Strict       int `json:"strict"`
	Acknowledged int `json:"acknowledged"`
	Warnings     int `json:"warnings"`
}

type jsonType struct {
	Name     string   `json:"name"`
	Mode     Mode     `json:"mode"`
	File     string   `json:"file"`
	Versions []string `json:"versions"`
	Nested   bool     `json:"nested"`
}

type jsonPos struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
}

type jsonRelated struct {
	jsonPos
	Message string `json:"message"`
}

type jsonFinding struct {
	Severity  string   `json:"severity"`
	Rule      string   `json:"rule"`
	Direction string   `json:"direction"`
	Types     []string `json:"types"`
	Modes     []Mode   `json:"modes"`
	Path      string   `json:"path"`
	Versions  []string `json:"versions"`
	jsonPos
	Message      string        `json:"message"`
	Help         string        `json:"help"`
	Acknowledged bool          `json:"acknowledged"`
	Reason       string        `json:"reason"`
	Related      []jsonRelated `json:"related"`
}

func posOf(sp diag.Span) jsonPos {
	return jsonPos{File: sp.Start.File, Line: sp.Start.Line, Column: sp.Start.Col, EndLine: sp.End.Line, EndColumn: sp.End.Col}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// WriteJSON writes the report as one JSON object, the schema docs/evolution.md
// documents (version JSONVersion).
func (r *Report) WriteJSON(w io.Writer) error {
	out := jsonReport{
		Version: JSONVersion, Compatible: !r.Failed(), Summary: r.Summary, UpgradeOrder: r.Upgrade,
		BackwardOK: r.BackwardOK, ForwardOK: r.ForwardOK,
		Counts:   jsonCounts{Checked: r.Checked, Errors: r.Errors, Strict: r.Strict, Acknowledged: r.Acknowledged, Warnings: r.Warnings},
		Types:    []jsonType{},
		Findings: []jsonFinding{},
	}
	for _, t := range r.Types {
		out.Types = append(out.Types, jsonType{Name: t.Name, Mode: t.Mode, File: t.File, Versions: nonNil(t.Versions), Nested: t.Nested})
	}
	for _, f := range r.Findings {
		jf := jsonFinding{
			Severity: f.Severity.String(), Rule: f.Rule, Direction: f.Direction,
			Types: nonNil(f.Types), Modes: nonNil(f.Modes), Path: f.Path, Versions: nonNil(f.Versions),
			jsonPos: posOf(f.Span), Message: f.Message, Help: f.Help,
			Acknowledged: f.Acknowledged, Reason: f.Reason, Related: []jsonRelated{},
		}
		for _, rel := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{jsonPos: posOf(rel.Span), Message: rel.Message})
		}
		out.Findings = append(out.Findings, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
