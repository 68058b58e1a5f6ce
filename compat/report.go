package compat

import (
	"fmt"
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
)

// Version is one earlier version of a type.
type Version struct {
	// Label names the version in messages: "v3", "origin/main",
	// "registry version 4".
	Label string
	// Type is the version's top-level type.
	Type *ir.Type
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
}

// Report is what Check found.
type Report struct {
	// Diags are the findings sorted by position, then the closing notes
	// (stale acks, summary, upgrade order).
	Diags []diag.Diagnostic
	// Errors counts the failing findings, of which Strict are --strict
	// findings; Acknowledged counts the incompatibilities an ack let pass.
	Errors, Strict, Acknowledged int
	// BackwardOK and ForwardOK say whether the new schemas read every
	// checked old version, and every checked old version reads the new
	// schemas, whatever the modes ask.
	BackwardOK, ForwardOK bool
	// Checked counts the types compared with at least one earlier version.
	Checked int
}

// Failed reports whether the report holds an error.
func (r *Report) Failed() bool { return r.Errors > 0 }

// finding is one diagnostic before versions are merged: the message and
// help may hold "{v}", replaced by the labels of every version it applies
// to.
type finding struct {
	sev     diag.Severity
	rule    string
	dir     string
	subject string
	path    string
	span    diag.Span
	msg     string
	help    string
	labels  []string
}

// Check checks every subject against its earlier versions in its mode, both
// directions for the upgrade order, and reports removed types, the strict
// changes and the acknowledged breaks.
func Check(subjects []Subject, removed []Removed, opts Options) *Report {
	rep := &Report{BackwardOK: true, ForwardOK: true}
	var fast verdict
	var strict strictWalk
	var fs []*finding
	index := map[string]*finding{}
	add := func(f *finding, label string) {
		key := f.dir + "\x00" + f.rule + "\x00" + f.span.Start.String() + "\x00" + f.msg + "\x00" + f.subject
		if g, ok := index[key]; ok {
			if g.labels[len(g.labels)-1] != label {
				g.labels = append(g.labels, label)
			}
			return
		}
		f.labels = []string{label}
		index[key] = f
		fs = append(fs, f)
	}
	for _, s := range subjects {
		if s.New == nil || len(s.Versions) == 0 {
			continue
		}
		rep.Checked++
		vs := s.Versions
		if !s.Mode.Transitive() {
			vs = vs[len(vs)-1:]
		}
		fallback := subjectSpan(s)
		for _, v := range vs {
			// BACKWARD: the new schema reads old data.
			if !fast.ok(s.New, v.Type) {
				ins := CheckPair(s.New, v.Type)
				rep.BackwardOK = false
				if s.Mode.Backward() {
					for _, in := range ins {
						add(describe(in, BackwardDir, s, fallback), v.Label)
					}
				}
			}
			// FORWARD: old schemas read new data.
			if !fast.ok(v.Type, s.New) {
				ins := CheckPair(v.Type, s.New)
				rep.ForwardOK = false
				if s.Mode.Forward() {
					for _, in := range ins {
						add(describe(in, ForwardDir, s, fallback), v.Label)
					}
				}
			}
			if s.Mode != None {
				sev := diag.Warning
				if opts.Strict {
					sev = diag.Error
				}
				for _, c := range strict.changes(v.Type, s.New) {
					f := describeChange(c, s, fallback)
					f.sev = sev
					add(f, v.Label)
				}
			}
		}
	}
	for _, r := range removed {
		if r.Mode == None {
			continue
		}
		rep.BackwardOK, rep.ForwardOK = false, false
		// The earlier declaration is in the earlier text of the file, which
		// may not exist any more: point at the file, and say where it was.
		sp := subjectSpan(Subject{New: r.Version.Type})
		where := ""
		if sp.Start.IsValid() {
			where = " (declared at " + sp.Start.String() + " in {v})"
		}
		sp = diag.Span{Start: diag.Pos{File: sp.Start.File}}
		add(&finding{
			rule: RuleTypeRemoved, subject: r.Name, path: r.Name, span: sp,
			msg:  fmt.Sprintf("type %q of {v} is gone from the new schemas%s; its producers and consumers lose their schema", r.Name, where),
			help: "to rename a type, keep the old full name in the new type's aliases; to retire it, acknowledge the removal",
		}, r.Version.Label)
	}

	// Acknowledged breaks.
	var notes []diag.Diagnostic
	for _, f := range fs {
		if f.sev != diag.Error {
			continue
		}
		for _, a := range opts.Acks {
			if a.Matches(f.rule, f.subject, f.path) {
				a.used = true
				f.sev = diag.Note
				f.msg = "acknowledged: " + f.msg
				f.help = "reason: " + a.Reason
				rep.Acknowledged++
				break
			}
		}
	}
	for _, a := range opts.Acks {
		if !a.used {
			msg, help := staleAckMessage(a, opts.AckFile)
			notes = append(notes, diag.Diagnostic{Severity: diag.Warning, Span: a.Span, Rule: "STALE_ACK", Message: msg, Help: help})
		}
	}

	var l diag.List
	for _, f := range fs {
		if f.sev == diag.Error {
			rep.Errors++
			if f.dir == "" && f.rule != RuleTypeRemoved {
				rep.Strict++
			}
		}
		msg := strings.ReplaceAll(f.msg, "{v}", joinLabels(f.labels))
		if f.dir != "" {
			msg = f.dir + ": " + strings.ReplaceAll(dirPrefix(f.dir), "{v}", joinLabels(f.labels)) + msg
		}
		l.Add(diag.Diagnostic{
			Severity: f.sev, Span: f.span, Rule: f.rule,
			Message: msg + " [" + f.rule + "]",
			Help:    strings.ReplaceAll(f.help, "{v}", joinLabels(f.labels)),
		})
	}
	l.Sort()
	rep.Diags = append(l.Items(), notes...)
	rep.Diags = append(rep.Diags, rep.closingNotes()...)
	return rep
}

func (rep *Report) closingNotes() []diag.Diagnostic {
	if rep.Checked == 0 && rep.Errors == 0 && rep.Acknowledged == 0 {
		return []diag.Diagnostic{{Severity: diag.Note, Rule: RuleSummary, Message: "no type of the new schemas has an earlier version to check against"}}
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
	return []diag.Diagnostic{
		{Severity: diag.Note, Rule: RuleSummary, Message: sum},
		{Severity: diag.Note, Rule: RuleUpgradeOrder, Message: "upgrade order: " + UpgradeOrder(rep.BackwardOK, rep.ForwardOK)},
	}
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

// describe turns an incompatibility into a finding, in the words of its
// direction, at the new side's element.
func describe(in *Incompatibility, dir Direction, s Subject, fallback diag.Span) *finding {
	newIsReader := dir == BackwardDir
	f := &finding{sev: diag.Error, rule: string(in.Kind), dir: dir.String(), subject: s.Name, path: in.Path}
	f.span = in.WriterSpan
	if newIsReader {
		f.span = in.ReaderSpan
	}
	if !f.span.IsValid() {
		f.span = fallback
	}
	where := element(in, newIsReader)
	switch in.Kind {
	case FieldNoDefault:
		field := quote(in.ReaderField.Name)
		rec := quote(recName(in.ReaderRecord))
		if newIsReader {
			f.msg = fmt.Sprintf("field %s of %s was added without a default", field, rec)
			f.help = fmt.Sprintf("give %s a default value", field)
		} else {
			f.msg = fmt.Sprintf("field %s of %s was removed, and it has no default in {v}", field, rec)
			f.help = "keep the field, or give it a default in a release first and remove it once every consumer has that release"
		}
	case MissingEnumSymbols:
		syms := quoteList(in.Symbols)
		enum := quote(fullName(in.Reader))
		if newIsReader {
			f.rule = RuleEnumSymbolRemoved
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
		r, w := in.Reader.Name(), in.Writer.Name()
		switch {
		case in.WriterBranch && newIsReader:
			f.msg = fmt.Sprintf("%s is %s now and no longer accepts the %s that old data may hold", where, r, w)
		case in.WriterBranch:
			f.msg = fmt.Sprintf("%s may now hold %s, which {v} reads as %s and cannot", where, w, r)
		case newIsReader:
			f.msg = fmt.Sprintf("%s changed from %s to %s, which cannot read the old %s", where, w, r, w)
		default:
			f.msg = fmt.Sprintf("%s changed from %s to %s, which {v} cannot read as %s", where, r, w, r)
		}
		f.help = promotionHelp(in.Reader.Kind, in.Writer.Kind, newIsReader)
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
		w := in.Writer.Name()
		if newIsReader {
			f.msg = fmt.Sprintf("%s no longer accepts %s, which old data may hold", where, w)
			f.help = fmt.Sprintf("keep %s among the union's branches", w)
		} else {
			f.msg = fmt.Sprintf("%s may now hold %s, which the union of {v} does not accept", where, w)
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
func describeChange(c *Change, s Subject, fallback diag.Span) *finding {
	f := &finding{rule: c.Rule, subject: s.Name, path: c.Path, span: c.Span}
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
