package compat

import (
	"fmt"
	"sort"
	"strings"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// Rules that the report adds to the Kinds of CheckPair. A MissingEnumSymbols
// incompatibility is reported as RuleEnumSymbolRemoved when the new schema
// reads (it dropped symbols old data holds) and as RuleEnumSymbolAdded when
// the old schema reads (new data holds symbols it does not know).
const (
	RuleEnumSymbolRemoved = "ENUM_SYMBOL_REMOVED"
	RuleEnumSymbolAdded   = "ENUM_SYMBOL_ADDED"
	// RuleTypeRemoved: a type of the earlier versions is gone from the new
	// schemas.
	RuleTypeRemoved = "TYPE_REMOVED"
	// RuleUpgradeOrder tags the closing note that says in which order to
	// deploy producers and consumers.
	RuleUpgradeOrder = "UPGRADE_ORDER"
	// RuleSummary tags the closing note that counts the findings.
	RuleSummary = "SUMMARY"
	// RuleStaleAck: an acknowledged break that matches no finding.
	RuleStaleAck = "STALE_ACK"
	// RuleChecked tags the closing notes that list the types checked in
	// each mode.
	RuleChecked = "CHECKED"
	// RuleNewTypes tags the closing note that lists the types with no
	// earlier version.
	RuleNewTypes = "NEW_TYPES"
	// RuleNoMatch: the earlier versions hold types, and not one of them
	// matched a new type, so nothing was checked.
	RuleNoMatch = "NO_MATCH"
)

// Version is one earlier version of a type.
type Version struct {
	// Label names the version in messages: "v3", "origin/main",
	// "registry version 4".
	Label string
	// Type is the version's top-level type.
	Type *ir.Type
	// Latest marks the latest version of one registry subject among
	// several (a type on several topics): a mode that is not transitive
	// checks each version so marked, rather than only the last version.
	Latest bool
}

// latestVersions returns the versions a mode that is not transitive
// checks: those marked Latest, else the last one.
func latestVersions(vs []Version) []Version {
	var out []Version
	for _, v := range vs {
		if v.Latest {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return vs[len(vs)-1:]
	}
	return out
}

// Subject is one top-level type of the new schemas with its earlier
// versions, oldest first.
type Subject struct {
	// Name is the type's full name (or, for an unnamed .avsc schema, its
	// file path).
	Name string
	// File is the path of the file that declares the new type, for
	// diagnostics that have no more precise place.
	File     string
	New      *ir.Type
	Mode     Mode
	Versions []Version
	// Nested is set for a named type that other types use but that is
	// checked on its own: it has an earlier version, and no checked
	// top-level type reaches it (they are all new). Its mode is that of
	// the types that use it.
	Nested bool
}

// Removed is a top-level type of the earlier versions that the new schemas
// no longer have.
type Removed struct {
	Name    string
	Mode    Mode
	Version Version
}

// Options configure Check.
type Options struct {
	// Strict makes the strict findings (logical types, decimals, defaults)
	// errors; without it they are warnings.
	Strict bool
	// Acks are the acknowledged breaks; AckFile names their file in
	// messages.
	Acks    []*Ack
	AckFile string
	// EarlierSources are the texts of the earlier versions' files when they
	// are files on disk (a folder or history source): a finding about an
	// element the new schemas no longer have then points at its earlier
	// declaration. Sources whose spans name no such file (git, registry)
	// give file-level positions instead.
	EarlierSources diag.Sources
	// EarlierLabel names the earlier versions' source, and EarlierNames
	// are the top-level types it holds: when none of them matched a new
	// type, the report warns, naming them (RuleNoMatch).
	EarlierLabel string
	EarlierNames []string
	// Homes are the definitions of named types to point at, by full name,
	// when the new schemas define a type again in several files (a folder
	// of self-contained .avsc files): a finding in a shared type then
	// points at its own file, not at a copy inside a file that uses it.
	// See Homes.
	Homes map[string]*ir.Named
}

// Homes returns, for each named type that is the schema of an .avsc file of
// s, that file's definition.
func Homes(s *ir.Schema) map[string]*ir.Named {
	homes := map[string]*ir.Named{}
	for _, f := range s.Files {
		if f.Avsc && !f.Imported && f.Root != nil && f.Root.Named != nil {
			if _, ok := homes[f.Root.Named.FullName()]; !ok {
				homes[f.Root.Named.FullName()] = f.Root.Named
			}
		}
	}
	return homes
}

// atHome moves sp, a place in the definition n, to the same place in the
// home definition of n's type, when it has another one.
func atHome(homes map[string]*ir.Named, n *ir.Named, sp diag.Span) diag.Span {
	if n == nil {
		return sp
	}
	h := homes[n.FullName()]
	if h == nil || h == n || h.Kind != n.Kind {
		return sp
	}
	switch sp {
	case n.NameSpan:
		return h.NameSpan
	case n.Span:
		return h.Span
	}
	if len(h.Symbols) == len(n.Symbols) {
		for i, sym := range n.Symbols {
			if sym.Span == sp {
				return h.Symbols[i].Span
			}
		}
	}
	if len(h.Fields) != len(n.Fields) {
		return sp
	}
	for i, f := range n.Fields {
		hf := h.Fields[i]
		switch sp {
		case f.Span:
			return hf.Span
		case f.NameSpan:
			return hf.NameSpan
		}
		if got, ok := sameSpot(f.Type, hf.Type, sp); ok {
			return got
		}
	}
	return sp
}

// sameSpot finds sp in type a and returns the span of the same element in
// b, a type of the same shape; it does not enter named types.
func sameSpot(a, b *ir.Type, sp diag.Span) (diag.Span, bool) {
	if a == nil || b == nil {
		return diag.Span{}, false
	}
	if a.Span == sp {
		return b.Span, true
	}
	switch {
	case a.Items != nil:
		return sameSpot(a.Items, b.Items, sp)
	case a.Values != nil:
		return sameSpot(a.Values, b.Values, sp)
	case len(a.Branches) > 0 && len(a.Branches) == len(b.Branches):
		for i := range a.Branches {
			if got, ok := sameSpot(a.Branches[i], b.Branches[i], sp); ok {
				return got, true
			}
		}
	}
	return diag.Span{}, false
}

// newSide returns the named type on the new schema's side that holds the
// element of in: the innermost record, or the named type itself.
func newSide(in *Incompatibility, newIsReader bool) *ir.Named {
	rec, t := in.WriterRecord, in.Writer
	if newIsReader {
		rec, t = in.ReaderRecord, in.Reader
	}
	if t != nil && t.Kind.IsNamed() && t.Named != nil && (in.Kind == NameMismatch || in.Kind == FixedSizeMismatch || in.Kind == MissingEnumSymbols) {
		return t.Named
	}
	return rec
}

// Finding is one result of Check, as the JSON report gives it.
type Finding struct {
	Severity diag.Severity
	// Rule is the stable rule id, such as FIELD_NO_DEFAULT.
	Rule string
	// Direction is "BACKWARD" (the new schema reads old data) or "FORWARD"
	// (old schemas read new data); "" for removed types, strict changes and
	// stale acks.
	Direction string
	// Types are the top-level types the finding concerns: a change in a
	// nested type shared by several is reported once for all of them.
	Types []string
	// Modes are the modes of Types, in the same order.
	Modes []Mode
	// Path is the element: a type's full name, then field names, "[]" for
	// array items and "{}" for map values.
	Path string
	// Versions are the labels of the earlier versions it concerns.
	Versions []string
	// Span is where it is: in the new schemas, or in an earlier file for
	// what the new schemas no longer have.
	Span diag.Span
	// Message is the full message, without the rule; Help the fix.
	Message, Help string
	// Acknowledged is set when an entry of the ack file covers the
	// finding; Reason is that entry's reason.
	Acknowledged bool
	Reason       string
	// Related are secondary positions, such as an earlier declaration.
	Related []diag.Related
}

// TypeResult is one top-level type of the new schemas and what it was
// checked against.
type TypeResult struct {
	Name string
	Mode Mode
	// File declares the new type.
	File string
	// Versions are the labels of the earlier versions it was checked
	// against; none for a new type.
	Versions []string
	// Nested is set for a type that other types use, checked on its own
	// (Subject.Nested).
	Nested bool
}

// Report is what Check found.
type Report struct {
	// Findings are the findings sorted by position, then the stale acks.
	Findings []Finding
	// Types are the new top-level types, in the order given.
	Types []TypeResult
	// Diags are the findings as diagnostics, messages ending with the rule
	// id, then the closing notes (summary, upgrade order).
	Diags []diag.Diagnostic
	// Errors counts the failing findings, of which Strict are --strict
	// findings; Acknowledged counts the incompatibilities an ack let pass;
	// Warnings counts the warnings.
	Errors, Strict, Acknowledged, Warnings int
	// BackwardOK and ForwardOK say whether the new schemas read every
	// checked old version, and every checked old version reads the new
	// schemas, whatever the modes ask.
	BackwardOK, ForwardOK bool
	// Checked counts the types compared with at least one earlier version.
	Checked int
	// Summary and Upgrade are the texts of the closing notes.
	Summary, Upgrade string
}

// Failed reports whether the report holds an error.
func (r *Report) Failed() bool { return r.Errors > 0 }

// finding is one diagnostic before versions and types are merged: the
// message and help may hold "{v}", replaced by the labels of every version
// it applies to.
type finding struct {
	sev      diag.Severity
	rule     string
	dir      string
	subjects []string
	modes    []Mode
	path     string
	span     diag.Span
	msg      string
	help     string
	labels   []string
	related  []diag.Related
	acked    bool
	reason   string
	// named names the element when it belongs to a named type: the
	// type's full name for the type itself (a rename, an enum's symbols,
	// a fixed's size), else path (the type's full name, then fields). It
	// is the same element wherever the type is defined.
	named string
}

// Check checks every subject against its earlier versions in its mode, both
// directions for the upgrade order, and reports removed types, the strict
// changes and the acknowledged breaks. A finding in a nested type that
// several subjects share is reported once.
func Check(subjects []Subject, removed []Removed, opts Options) *Report {
	rep := &Report{BackwardOK: true, ForwardOK: true, Types: make([]TypeResult, 0, len(subjects))}
	var fast verdict
	var strict strictWalk
	var fs []*finding
	index := map[string]*finding{}
	add := func(f *finding, subject string, mode Mode, label string) {
		// An element of a named type is one element whatever file holds
		// the definition: a folder of self-contained .avsc files repeats a
		// shared type in every file that uses it, and a break in it is one
		// finding, at its first place. Anything else is told apart by place.
		where := f.span.Start.String()
		if f.named != "" {
			where = f.named
		}
		key := f.dir + "\x00" + f.rule + "\x00" + where + "\x00" + f.msg
		g, ok := index[key]
		if !ok {
			g = f
			index[key] = f
			fs = append(fs, f)
		}
		if !containsString(g.labels, label) {
			g.labels = append(g.labels, label)
		}
		if !containsString(g.subjects, subject) {
			g.subjects = append(g.subjects, subject)
			g.modes = append(g.modes, mode)
		}
	}
	where := &placer{sources: opts.EarlierSources}
	for _, s := range subjects {
		tr := TypeResult{Name: s.Name, Mode: s.Mode, File: s.File, Nested: s.Nested}
		if s.New == nil || len(s.Versions) == 0 {
			rep.Types = append(rep.Types, tr)
			continue
		}
		rep.Checked++
		vs := s.Versions
		if !s.Mode.Transitive() {
			vs = latestVersions(vs)
		}
		tr.Versions = make([]string, len(vs))
		for i, v := range vs {
			tr.Versions[i] = v.Label
		}
		rep.Types = append(rep.Types, tr)
		fallback := subjectSpan(s)
		for _, v := range vs {
			// BACKWARD: the new schema reads old data.
			if !fast.ok(s.New, v.Type) {
				ins := CheckPair(s.New, v.Type)
				rep.BackwardOK = false
				if s.Mode.Backward() {
					for _, in := range ins {
						f := describe(in, BackwardDir, fallback, where)
						f.span = atHome(opts.Homes, newSide(in, true), f.span)
						add(f, s.Name, s.Mode, v.Label)
					}
				}
			}
			// FORWARD: old schemas read new data.
			if !fast.ok(v.Type, s.New) {
				ins := CheckPair(v.Type, s.New)
				rep.ForwardOK = false
				if s.Mode.Forward() {
					for _, in := range ins {
						f := describe(in, ForwardDir, fallback, where)
						f.span = atHome(opts.Homes, newSide(in, false), f.span)
						add(f, s.Name, s.Mode, v.Label)
					}
				}
			}
			if s.Mode != None {
				sev := diag.Warning
				if opts.Strict {
					sev = diag.Error
				}
				for _, c := range strict.changes(v.Type, s.New) {
					f := describeChange(c, fallback)
					f.sev = sev
					add(f, s.Name, s.Mode, v.Label)
				}
			}
		}
	}
	for _, r := range removed {
		if r.Mode == None {
			continue
		}
		rep.BackwardOK, rep.ForwardOK = false, false
		add(describeRemoved(r, subjects, where), r.Name, r.Mode, r.Version.Label)
	}

	// Acknowledged breaks.
	for _, f := range fs {
		if f.sev != diag.Error {
			continue
		}
		if by := ackFor(opts.Acks, f.rule, f.subjects, f.path); by != nil {
			var reasons []string
			for _, a := range by {
				a.used = true
				if !containsString(reasons, a.Reason) {
					reasons = append(reasons, a.Reason)
				}
			}
			f.sev = diag.Note
			f.acked, f.reason = true, strings.Join(reasons, "; ")
			rep.Acknowledged++
		}
	}

	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i].span.Start, fs[j].span.Start
		if a != b {
			return a.Before(b)
		}
		return fs[i].msg < fs[j].msg
	})
	for _, f := range fs {
		switch f.sev {
		case diag.Error:
			rep.Errors++
			if f.dir == "" && f.rule != RuleTypeRemoved {
				rep.Strict++
			}
		case diag.Warning:
			rep.Warnings++
		}
		labels := joinLabels(f.labels)
		msg := strings.ReplaceAll(f.msg, "{v}", labels)
		if f.dir != "" {
			msg = f.dir + ": " + strings.ReplaceAll(dirPrefix(f.dir), "{v}", labels) + msg
		}
		if len(f.subjects) > 1 {
			// A nested type that several top-level types share.
			q := make([]string, len(f.subjects))
			for i, n := range f.subjects {
				q[i] = quote(n)
			}
			msg += " (in " + joinLabels(q) + ")"
		}
		help := strings.ReplaceAll(f.help, "{v}", labels)
		if f.acked {
			msg = "acknowledged: " + msg
			help = "reason: " + f.reason
		}
		var related []diag.Related
		for _, r := range f.related {
			r.Message = strings.ReplaceAll(r.Message, "{v}", labels)
			related = append(related, r)
		}
		rep.Findings = append(rep.Findings, Finding{
			Severity: f.sev, Rule: f.rule, Direction: f.dir, Types: f.subjects, Modes: f.modes,
			Path: f.path, Versions: f.labels, Span: f.span, Message: msg, Help: help,
			Acknowledged: f.acked, Reason: f.reason, Related: related,
		})
	}
	for _, a := range opts.Acks {
		if !a.used {
			msg, help := staleAckMessage(a, opts.AckFile)
			rep.Warnings++
			rep.Findings = append(rep.Findings, Finding{Severity: diag.Warning, Rule: RuleStaleAck, Types: []string{}, Path: a.Target, Versions: []string{}, Span: a.Span, Message: msg, Help: help})
		}
	}
	if rep.Checked == 0 && len(opts.EarlierNames) > 0 {
		rep.Warnings++
		msg := fmt.Sprintf("%s holds %s (%s), and not one matches a type of the new schemas by full name or alias; nothing was compared",
			opts.EarlierLabel, plural(len(opts.EarlierNames), "type", "types"), listNames(opts.EarlierNames))
		help := "check --against and the paths: the new schemas must keep their types' full names, or list the old names in their aliases"
		rep.Findings = append(rep.Findings, Finding{Severity: diag.Warning, Rule: RuleNoMatch, Types: []string{}, Path: "", Versions: []string{opts.EarlierLabel}, Message: msg, Help: help})
	}
	for _, f := range rep.Findings {
		rep.Diags = append(rep.Diags, diag.Diagnostic{
			Severity: f.Severity, Span: f.Span, Rule: f.Rule,
			Message: f.Message + " [" + f.Rule + "]", Help: f.Help, Related: f.Related,
		})
	}
	rep.Diags = append(rep.Diags, rep.closingNotes()...)
	return rep
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// maxListed is how many type names a closing note lists; the JSON report
// lists them all.
const maxListed = 10

// typeNotes are the closing notes that say in which mode each type was
// checked, and which types are new.
func (rep *Report) typeNotes() []diag.Diagnostic {
	byMode := map[Mode][]string{}
	var fresh []string
	for _, t := range rep.Types {
		name := t.Name
		if t.Nested {
			name += " (nested)"
		}
		if len(t.Versions) == 0 {
			fresh = append(fresh, name)
			continue
		}
		byMode[t.Mode] = append(byMode[t.Mode], name)
	}
	var out []diag.Diagnostic
	for _, m := range Modes {
		names := byMode[m]
		if len(names) == 0 {
			continue
		}
		msg := fmt.Sprintf("checked in %s mode: %s", m, listNames(names))
		if m == None {
			msg = fmt.Sprintf("in NONE mode, not checked: %s", listNames(names))
		}
		out = append(out, diag.Diagnostic{Severity: diag.Note, Rule: RuleChecked, Message: msg})
	}
	if len(fresh) > 0 {
		out = append(out, diag.Diagnostic{Severity: diag.Note, Rule: RuleNewTypes, Message: "new, with no earlier version: " + listNames(fresh)})
	}
	return out
}

// listNames joins names, the first maxListed of them.
func listNames(names []string) string {
	if len(names) <= maxListed {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:maxListed], ", "), len(names)-maxListed)
}

func (rep *Report) closingNotes() []diag.Diagnostic {
	notes := rep.typeNotes()
	if rep.Checked == 0 && rep.Errors == 0 && rep.Acknowledged == 0 {
		rep.Summary = "no type of the new schemas has an earlier version to check against"
		return append(notes, diag.Diagnostic{Severity: diag.Note, Rule: RuleSummary, Message: rep.Summary})
	}
	var sum string
	switch {
	case rep.Errors == 0 && rep.Acknowledged == 0:
		sum = fmt.Sprintf("%s compatible", plural(rep.Checked, "type", "types"))
	case rep.Errors == 0 && rep.Checked == 0:
		sum = plural(rep.Acknowledged, "acknowledged break", "acknowledged breaks")
	case rep.Errors == 0:
		sum = fmt.Sprintf("%s compatible, with %s", plural(rep.Checked, "type", "types"), plural(rep.Acknowledged, "acknowledged break", "acknowledged breaks"))
	default:
		var parts []string
		if n := rep.Errors - rep.Strict; n > 0 {
			parts = append(parts, plural(n, "incompatibility", "incompatibilities"))
		}
		if rep.Strict > 0 {
			parts = append(parts, plural(rep.Strict, "change of meaning", "changes of meaning"))
		}
		sum = strings.Join(parts, " and ")
		if rep.Checked > 0 {
			sum += " in " + plural(rep.Checked, "type checked", "types checked")
		}
		if rep.Acknowledged > 0 {
			sum += fmt.Sprintf(", and %s", plural(rep.Acknowledged, "acknowledged break", "acknowledged breaks"))
		}
	}
	rep.Summary, rep.Upgrade = sum, UpgradeOrder(rep.BackwardOK, rep.ForwardOK)
	return append(notes,
		diag.Diagnostic{Severity: diag.Note, Rule: RuleSummary, Message: sum},
		diag.Diagnostic{Severity: diag.Note, Rule: RuleUpgradeOrder, Message: "upgrade order: " + rep.Upgrade},
	)
}

// UpgradeOrder says in which order producers and consumers must be deployed
// for a change that keeps BACKWARD (new reads old) and FORWARD (old reads
// new) compatibility as given.
func UpgradeOrder(backwardOK, forwardOK bool) string {
	switch {
	case backwardOK && forwardOK:
		return "any; producers and consumers can be deployed in either order"
	case backwardOK:
		return "deploy consumers first, then producers (new consumers read old data, old consumers cannot read new data)"
	case forwardOK:
		return "deploy producers first, then consumers (old consumers read new data, new consumers cannot read old data)"
	default:
		return "none is safe: old and new schemas cannot read each other's data; publish the change as a new type on a new topic (a new major version)"
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func joinLabels(ls []string) string {
	switch len(ls) {
	case 0:
		return "the earlier version"
	case 1:
		return ls[0]
	}
	return strings.Join(ls[:len(ls)-1], ", ") + " and " + ls[len(ls)-1]
}

func dirPrefix(dir string) string {
	if dir == ForwardDir.String() {
		return "consumers on {v} cannot read new data: "
	}
	return "new consumers cannot read data written with {v}: "
}

// subjectSpan is where a finding goes when its element has no span on the
// new side: the new type's name, else its file.
func subjectSpan(s Subject) diag.Span {
	if t := s.New; t != nil && t.Named != nil {
		if t.Named.NameSpan.IsValid() {
			return t.Named.NameSpan
		}
		if t.Named.Span.IsValid() {
			return t.Named.Span
		}
		if t.Named.File != nil && s.File == "" {
			return diag.Span{Start: diag.Pos{File: t.Named.File.Path}}
		}
	}
	if s.New != nil && s.New.Span.IsValid() {
		return s.New.Span
	}
	return diag.Span{Start: diag.Pos{File: s.File}}
}

// element names the place of an incompatibility for a message.
func element(in *Incompatibility, newIsReader bool) string {
	if in.ReaderField == nil || in.ReaderRecord == nil {
		return quote(in.Path)
	}
	f, rec := in.ReaderField, in.ReaderRecord
	if !newIsReader && in.WriterField != nil {
		f, rec = in.WriterField, in.WriterRecord
	}
	if strings.HasSuffix(in.Path, "."+in.ReaderField.Name) {
		return fmt.Sprintf("field %q of %q", f.Name, rec.FullName())
	}
	rest := strings.TrimPrefix(in.Path, in.ReaderRecord.FullName()+"."+in.ReaderField.Name)
	what := "element"
	switch {
	case strings.HasSuffix(rest, "[]"):
		what = "items"
	case strings.HasSuffix(rest, "{}"):
		what = "values"
	}
	return fmt.Sprintf("the %s of field %q of %q", what, f.Name, rec.FullName())
}

// placer decides where findings about elements of the earlier versions
// point: at their declaration when it is in a file on disk whose text is
// known, else at the file only.
type placer struct{ sources diag.Sources }

// onDisk reports whether sp is a line of an earlier file on disk.
func (p *placer) onDisk(sp diag.Span) bool {
	if !sp.Start.IsValid() || p == nil {
		return false
	}
	_, ok := p.sources[sp.Start.File]
	return ok
}

// declaredAt returns a related note that says where an earlier element was
// declared, when that is a file on disk.
func (p *placer) declaredAt(sp diag.Span, what string) []diag.Related {
	if !p.onDisk(sp) {
		return nil
	}
	return []diag.Related{{Span: sp, Message: what + " is declared here in {v}"}}
}

// describe turns an incompatibility into a finding, in the words of its
// direction, at the new side's element.
func describe(in *Incompatibility, dir Direction, fallback diag.Span, where *placer) *finding {
	newIsReader := dir == BackwardDir
	f := &finding{sev: diag.Error, rule: string(in.Kind), dir: dir.String(), path: in.Path}
	switch {
	case in.Kind == NameMismatch || in.Kind == FixedSizeMismatch || in.Kind == MissingEnumSymbols:
		f.named = "type " + fullName(in.Reader) + " " + fullName(in.Writer)
	case in.ReaderRecord != nil:
		f.named = in.Path
	}
	f.span = in.WriterSpan
	if newIsReader {
		f.span = in.ReaderSpan
	}
	if !f.span.IsValid() {
		f.span = fallback
	}
	elem := element(in, newIsReader)
	switch in.Kind {
	case FieldNoDefault:
		field := quote(in.ReaderField.Name)
		rec := quote(recName(in.ReaderRecord))
		if newIsReader {
			f.msg = fmt.Sprintf("field %s of %s was added without a default", field, rec)
			f.help = fmt.Sprintf("give %s a default value", field)
			break
		}
		// The field is gone from the new record: point at the record, or
		// at the field that took its name as an alias.
		if sp := nameSpan(in.WriterRecord); sp.IsValid() {
			f.span = sp
		}
		f.related = where.declaredAt(in.ReaderField.NameSpan, "field "+field)
		if nf := renamedTo(in.WriterRecord, in.ReaderField.Name); nf != nil {
			if nf.NameSpan.IsValid() {
				f.span = nf.NameSpan
			}
			f.msg = fmt.Sprintf("field %s of %s was renamed to %q, a name {v} does not know, and {v} has no default for %s", field, rec, nf.Name, field)
			f.help = "a rename with an alias is only BACKWARD compatible; in FORWARD or FULL mode keep the old field beside the new one until every consumer reads the new one"
			break
		}
		f.msg = fmt.Sprintf("field %s of %s was removed, and it has no default in {v}", field, rec)
		f.help = "keep the field, or give it a default in a release first and remove it once every consumer has that release"
	case MissingEnumSymbols:
		syms := quoteList(in.Symbols)
		enum := quote(fullName(in.Reader))
		if newIsReader {
			f.rule = RuleEnumSymbolRemoved
			if sp := nameSpan(in.Reader.Named); sp.IsValid() {
				f.span = sp
			}
			f.msg = fmt.Sprintf("enum %s no longer has %s %s, which old data may hold", enum, symbolWord(in.Symbols), syms)
			f.help = "keep the symbols (deprecate them in their doc), or give the enum a default symbol"
		} else {
			f.rule = RuleEnumSymbolAdded
			enum = quote(fullName(in.Writer))
			f.msg = fmt.Sprintf("enum %s has new %s %s, which {v} does not know, and {v} gives the enum no default symbol", enum, symbolWord(in.Symbols), syms)
			f.help = "give the enum a default symbol in a release first, so that readers map symbols they do not know to it"
			if sp := symbolSpan(in.Writer, in.Symbols); sp.IsValid() {
				f.span = sp
			}
		}
	case TypeMismatch:
		r, w := typeName(in.Reader), typeName(in.Writer)
		f.help = promotionHelp(in.Reader.Kind, in.Writer.Kind, newIsReader)
		switch {
		case in.WriterBranch && newIsReader:
			f.msg = fmt.Sprintf("%s is %s now and no longer accepts the %s that old data may hold", elem, r, w)
			if in.Writer.Kind == ir.Null {
				f.help = "keep the field optional: old data holds nulls; to require a value, add a new field and deprecate this one"
			}
		case in.WriterBranch:
			f.msg = fmt.Sprintf("%s may now hold %s, which {v} reads as %s and cannot", elem, w, r)
			if in.Writer.Kind == ir.Null {
				f.help = "making a field optional is only BACKWARD compatible: deploy consumers first and check in BACKWARD mode, or add a new optional field"
			}
		case newIsReader:
			f.msg = fmt.Sprintf("%s changed from %s to %s, which cannot read the old %s", elem, w, r, w)
		default:
			f.msg = fmt.Sprintf("%s changed from %s to %s, which {v} cannot read as %s", elem, r, w, r)
		}
	case NameMismatch:
		kind := in.Reader.Kind.String()
		if newIsReader {
			f.msg = fmt.Sprintf("%s %q was %q in {v}, and has no alias for that name", kind, fullName(in.Reader), fullName(in.Writer))
			f.help = fmt.Sprintf("add %q to the aliases of %q", fullName(in.Writer), fullName(in.Reader))
		} else {
			f.msg = fmt.Sprintf("%s %q of {v} is named %q now, and {v} has no alias for the new name", kind, fullName(in.Reader), fullName(in.Writer))
			f.help = "a rename with an alias is only BACKWARD compatible: keep the old name, or publish a new type"
		}
	case FixedSizeMismatch:
		if newIsReader {
			f.msg = fmt.Sprintf("fixed %q has size %d now and had size %d in {v}", fullName(in.Reader), namedSize(in.Reader), namedSize(in.Writer))
		} else {
			f.msg = fmt.Sprintf("fixed %q has size %d now and had size %d in {v}", fullName(in.Writer), namedSize(in.Writer), namedSize(in.Reader))
		}
		f.help = "a fixed's size cannot change; declare a new fixed type"
	case MissingUnionBranch:
		w := typeName(in.Writer)
		if newIsReader {
			f.msg = fmt.Sprintf("%s no longer accepts %s, which old data may hold", elem, w)
			f.help = fmt.Sprintf("keep %s among the union's branches", w)
		} else {
			f.msg = fmt.Sprintf("%s may now hold %s, which the union of {v} does not accept", elem, w)
			f.help = "add the branch in a release that consumers get first, and write it only after that"
		}
	case AmbiguousField:
		side := "{v}"
		if !newIsReader {
			side = "the new schema"
		}
		f.msg = fmt.Sprintf("field %q of %q matches several fields of %s (%s) by name and alias", in.ReaderField.Name, recName(in.ReaderRecord), side, quoteList(in.Symbols))
		f.help = "remove the alias that names another field; Avro Java rejects such a pair"
	default:
		f.msg = in.Message()
	}
	return f
}

// describeRemoved is the finding for a top-level type the new schemas no
// longer have. It points at the earlier declaration when that is a file on
// disk, else at the earlier file (whose text at a git revision is not the
// working tree's) and says where the type was.
func describeRemoved(r Removed, subjects []Subject, where *placer) *finding {
	sp := subjectSpan(Subject{New: r.Version.Type})
	f := &finding{
		sev: diag.Error, rule: RuleTypeRemoved, path: r.Name,
		help: "to rename a type, keep the old full name in the new type's aliases; to retire it, acknowledge the removal",
	}
	switch file := sp.Start.File; {
	case where.onDisk(sp):
		f.span = sp
		f.msg = fmt.Sprintf("type %q of {v} is gone from the new schemas; its producers and consumers lose their schema", r.Name)
	case strings.HasPrefix(file, "registry:"):
		// No file to point at: name the subject.
		subject := strings.TrimPrefix(file, "registry:")
		if i := strings.LastIndex(subject, "/versions/"); i >= 0 {
			subject = subject[:i]
		}
		f.msg = fmt.Sprintf("type %q of {v} (subject %q) is gone from the new schemas; its producers and consumers lose their schema", r.Name, subject)
	default:
		at := ""
		if sp.Start.IsValid() {
			at = " (declared at " + sp.Start.String() + " in {v})"
		}
		f.span = diag.Span{Start: diag.Pos{File: sp.Start.File}}
		f.msg = fmt.Sprintf("type %q of {v} is gone from the new schemas%s; its producers and consumers lose their schema", r.Name, at)
	}
	// A new type of the same kind with no earlier version is likely its
	// new name.
	if t := r.Version.Type; t != nil && t.Named != nil {
		var cands []string
		for _, s := range subjects {
			if len(s.Versions) == 0 && s.New != nil && s.New.Named != nil && s.New.Kind == t.Kind {
				cands = append(cands, s.Name)
			}
		}
		if len(cands) == 1 {
			f.help = fmt.Sprintf("if %q is its new name, add %q to its aliases (@aliases(%q)); to retire the type, acknowledge the removal", cands[0], r.Name, r.Name)
		}
	}
	return f
}

// renamedTo returns the field of rec that lists name among its aliases.
func renamedTo(rec *ir.Named, name string) *ir.Field {
	if rec == nil {
		return nil
	}
	for _, f := range rec.Fields {
		for _, a := range f.Aliases {
			if a == name {
				return f
			}
		}
	}
	return nil
}

// nameSpan is where a named type's name is written, else its declaration.
func nameSpan(n *ir.Named) diag.Span {
	if n == nil {
		return diag.Span{}
	}
	if n.NameSpan.IsValid() {
		return n.NameSpan
	}
	return n.Span
}

// typeName names a type as messages show it: a custom domain type by its
// wire type and its name, "string (acme.CourseKey)".
func typeName(t *ir.Type) string {
	if t != nil && t.Custom != nil {
		wire := *t
		wire.Custom = nil
		return wire.Name() + " (" + t.Custom.FullName() + ")"
	}
	return t.Name()
}

func recName(n *ir.Named) string {
	if n == nil {
		return ""
	}
	return n.FullName()
}

func symbolWord(ss []string) string {
	if len(ss) == 1 {
		return "symbol"
	}
	return "symbols"
}

func symbolSpan(t *ir.Type, names []string) diag.Span {
	if t == nil || t.Named == nil || len(names) == 0 {
		return diag.Span{}
	}
	for _, s := range t.Named.Symbols {
		for _, n := range names {
			if s.Name == n && s.Span.IsValid() {
				return s.Span
			}
		}
	}
	return diag.Span{}
}

// promotionHelp explains Avro's promotions for a type mismatch.
func promotionHelp(r, w ir.Kind, newIsReader bool) string {
	if promotes(r, w) {
		// The reverse way works: a widening read by an older reader, or a
		// narrowing.
		if newIsReader {
			return fmt.Sprintf("%s can be read as %s but not the other way round; keep %s", r, w, w)
		}
		return fmt.Sprintf("widening %s to %s is only BACKWARD compatible: deploy consumers first and run the check in BACKWARD mode, or add a new field", r, w)
	}
	return "Avro reads int as long, float or double, long as float or double, float as double, and string and bytes as each other; for any other change add a new field and deprecate the old one"
}

// describeChange turns a strict change into a finding.
func describeChange(c *Change, fallback diag.Span) *finding {
	f := &finding{rule: c.Rule, path: c.Path, span: c.Span}
	if c.Field != nil {
		f.named = c.Path
	}
	if !f.span.IsValid() {
		f.span = fallback
	}
	where := quote(c.Path)
	if c.Field != nil {
		where = fmt.Sprintf("field %q of %q", c.Field.Name, strings.TrimSuffix(c.Path, "."+c.Field.Name))
		if !strings.HasSuffix(c.Path, "."+c.Field.Name) {
			where = quote(c.Path)
		}
	}
	switch c.Rule {
	case RuleLogicalTypeChanged:
		f.msg = fmt.Sprintf("the logical type of %s changed from %s in {v} to %s; Avro still reads the data, but its meaning changes", where, c.Old, c.New)
		f.help = "keep the logical type, or add a new field with the new one"
	case RuleDecimalChanged:
		f.msg = fmt.Sprintf("%s changed from %s in {v} to %s; the same bytes now mean another number", where, c.Old, c.New)
		f.help = "keep the precision and scale, or add a new field"
	case RuleDefaultChanged:
		f.msg = fmt.Sprintf("the default of %s changed from %s in {v} to %s; readers fill missing values differently", where, c.Old, c.New)
		f.help = "keep the default, unless every reader should see the new value"
	}
	return f
}
