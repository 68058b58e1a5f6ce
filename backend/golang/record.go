package golang

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/evc-dev/evc/ir"
)

// doc writes text as a Go comment.
func doc(f *GeneratedFile, text string) {
	text = strings.TrimSpace(commentText(text))
	if text == "" {
		return
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if line == "" {
			f.P("//")
		} else {
			f.P("// ", line)
		}
	}
}

// typeDoc writes the doc comment of a generated type: a first sentence that
// names it, then the IDL's doc.
func typeDoc(f *GeneratedFile, goName, first, text string, deprecated bool, reason string) {
	doc(f, goName+" "+first)
	if strings.TrimSpace(text) != "" {
		f.P("//")
		doc(f, text)
	}
	deprecatedDoc(f, deprecated, reason)
}

func deprecatedDoc(f *GeneratedFile, deprecated bool, reason string) {
	if !deprecated {
		return
	}
	f.P("//")
	if reason == "" {
		reason = "do not use in new code."
	}
	f.P("// Deprecated: ", strings.ReplaceAll(strings.TrimSpace(commentText(reason)), "\n", " "))
}

// commentText makes text safe in a Go comment: Go source refuses NUL bytes,
// invalid UTF-8 and byte order marks, which an .avsc doc may hold ("\u0000"
// is valid JSON). Each becomes U+FFFD; the .avsc keeps the doc as it is.
func commentText(text string) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	if strings.ContainsAny(text, "\x00\uFEFF") {
		text = strings.NewReplacer("\x00", "\uFFFD", "\uFEFF", "\uFFFD").Replace(text)
	}
	return text
}

// genRecord writes a record's struct, its union types, its constructor, its
// descriptor and its codec methods.
func (g *generator) genRecord(f *GeneratedFile, ni *namedInfo) error {
	g.genStruct(f, ni)
	for _, u := range ni.unions {
		g.genUnion(f, u)
	}
	g.genConstructor(f, ni)
	if err := g.genDescriptor(f, ni); err != nil {
		return err
	}
	g.genMarshal(f, ni)
	g.genUnmarshal(f, ni)
	g.genFieldDecoder(f, ni)
	g.genStepDecoder(f, ni)
	return nil
}

func (g *generator) genStruct(f *GeneratedFile, ni *namedInfo) {
	n := ni.n
	name := ni.ident.Name
	typeDoc(f, name, fmt.Sprintf("is the Avro record %s.", n.FullName()), n.Doc, n.Deprecated, n.DeprecatedReason)
	f.P("type ", name, " struct {")
	for i, fl := range n.Fields {
		text := fl.Doc
		if note := nilNote(fl.Type); note != "" {
			if strings.TrimSpace(text) != "" {
				text += "\n\n"
			}
			text += note
		}
		doc(f, text)
		deprecatedDoc(f, fl.Deprecated, fl.DeprecatedReason)
		typ := g.goType(f, fl.Type)
		if g.fieldIsPointer(n, fl.Type) {
			typ = "*" + typ
		}
		f.P(ni.fields[i], " ", typ, " `avro:", strconv.Quote(fl.Name), "`")
	}
	f.P("}")
	f.P()
}

// nilNote says what nil means in a field of type t whose Go type can be
// nil, where that is not plain to see: null for T? (a pointer, or a nil
// slice, map or *big.Rat), zero for a required decimal (a *big.Rat).
func nilNote(t *ir.Type) string {
	if _, ok := customIdent(t); ok {
		return ""
	}
	if _, _, ok := isNullable(t); ok {
		return "Nil means null."
	}
	if s, ok := scalarOf(t); ok && s.pointer {
		return "Nil encodes as zero; the field is not optional."
	}
	return ""
}

func (g *generator) genConstructor(f *GeneratedFile, ni *namedInfo) {
	f.P("// ", ni.ctor, " returns a new ", ni.ident.Name, " holding the defaults of its schema.")
	f.P("func ", ni.ctor, "() *", ni.ident.Name, " {")
	f.P("return &", g.recordLiteral(f, ni.n, nil))
	f.P("}")
	f.P()
}

// genDescriptor writes a named type's runtime.Type and its AvroType method,
// and for a record that it is a runtime.Message.
func (g *generator) genDescriptor(f *GeneratedFile, ni *namedInfo) error {
	if err := g.genType(f, ni); err != nil {
		return err
	}
	if ni.n.Kind == ir.Record {
		f.P("var _ ", GoIdent{runtimePath, "Message"}, " = (*", ni.ident.Name, ")(nil)")
		f.P()
	}
	g.genAvroType(f, ni)
	return nil
}

// genType writes a named type's runtime.Type: its own definition, with the
// named types it uses referred to by their Go types, so that the Go code
// holds each definition once however deeply types nest.
func (g *generator) genType(f *GeneratedFile, ni *namedInfo) error {
	n := ni.n
	own, err := g.defs.Own(n)
	if err != nil {
		return err
	}
	fp, err := g.defs.Of(n)
	if err != nil {
		return err
	}
	f.P("var ", ni.typeVar, " = &", GoIdent{runtimePath, "Type"}, "{")
	f.P("Name: ", strconv.Quote(n.FullName()), ",")
	if len(n.Aliases) > 0 {
		f.P("Aliases: []string{", quoteAll(n.Aliases), "},")
	}
	f.P("Def: ", GoIdent{runtimePath, "Def"}, "{")
	f.P("Head: ", goString(own.Head), ",")
	if n.Namespace != "" {
		f.P("Namespace: ", strconv.Quote(n.Namespace), ",")
	}
	pieces(f, "JSON", own.JSON)
	pieces(f, "Canonical", own.Canonical)
	if len(own.Uses) > 0 {
		uses := make([]string, len(own.Uses))
		for i, u := range own.Uses {
			uses[i] = "(*" + f.Qualify(g.named[u].ident) + ")(nil)"
		}
		f.P("Uses: []", GoIdent{runtimePath, "Named"}, "{", strings.Join(uses, ", "), "},")
	}
	f.P("},")
	f.P("Fingerprint: ", fmt.Sprintf("0x%016x", fp), ",")
	if n.Kind == ir.Record {
		f.P("New: func() ", GoIdent{runtimePath, "Message"}, " { return new(", ni.ident.Name, ") },")
	}
	if len(ni.topics) > 0 {
		f.P("Topics: []", GoIdent{runtimePath, "TopicRole"}, "{")
		for _, t := range ni.topics {
			if t.key {
				f.P("{Topic: ", strconv.Quote(t.topic), ", Key: true},")
			} else {
				f.P("{Topic: ", strconv.Quote(t.topic), "},")
			}
		}
		f.P("},")
	}
	if n.Event != nil {
		ev := "Type: " + strconv.Quote(n.Event.Type)
		if n.Event.Source != "" {
			ev += ", Source: " + strconv.Quote(n.Event.Source)
		}
		f.P("Event: &", GoIdent{runtimePath, "Event"}, "{", ev, "},")
	}
	f.P("}")
	f.P()
	return nil
}

// pieces writes a runtime.Def field of string pieces, one a line when there
// are several.
func pieces(f *GeneratedFile, field string, ps []string) {
	if len(ps) == 1 {
		f.P(field, ": []string{", goString(ps[0]), "},")
		return
	}
	f.P(field, ": []string{")
	for _, p := range ps {
		f.P(goString(p), ",")
	}
	f.P("},")
}

// genAvroType writes the AvroType method of a named type.
func (g *generator) genAvroType(f *GeneratedFile, ni *namedInfo) {
	f.P("// AvroType returns the descriptor of ", ni.n.FullName(), "; it does not read its receiver.")
	f.P("func (*", ni.ident.Name, ") AvroType() *", GoIdent{runtimePath, "Type"}, " { return ", ni.typeVar, " }")
	f.P()
}

// genMarshal writes MarshalAvro, AppendAvro and the encoder they share with
// the records that hold this one.
func (g *generator) genMarshal(f *GeneratedFile, ni *namedInfo) {
	n := ni.n
	name := ni.ident.Name
	f.P("// MarshalAvro returns the Avro binary encoding of m.")
	f.P("func (m *", name, ") MarshalAvro() ([]byte, error) { return m.AppendAvro(nil) }")
	f.P()
	f.P("// AppendAvro appends the Avro binary encoding of m to dst; on error it")
	f.P("// returns dst as it was.")
	f.P("func (m *", name, ") AppendAvro(dst []byte) ([]byte, error) {")
	f.P("out, err := m.appendAvro(dst)")
	f.P("return ", av("Appended"), "(dst, out, err, ", strconv.Quote(n.FullName()), ")")
	f.P("}")
	f.P()
	c := &codec{g: g, f: f, ni: ni}
	f.P("func (m *", name, ") appendAvro(dst []byte) (_ []byte, err error) {")
	for i, fl := range n.Fields {
		x := "m." + ni.fields[i]
		wrap := c.wrapField(fl.Name)
		if g.fieldIsPointer(n, fl.Type) {
			f.P("if ", x, " == nil {")
			f.P("return dst, ", wrap(c.invalid("missing required record "+fl.Type.Named.FullName())))
			f.P("}")
		}
		c.enc(fl.Type, x, wrap)
		if c.done {
			break
		}
	}
	if !c.done {
		f.P("return dst, nil")
	}
	f.P("}")
	f.P()
}

// genUnmarshal writes UnmarshalAvro, UnmarshalAvroAlias and DecodeAvro.
func (g *generator) genUnmarshal(f *GeneratedFile, ni *namedInfo) {
	n := ni.n
	name := ni.ident.Name
	full := strconv.Quote(n.FullName())
	f.P("// UnmarshalAvro replaces m with the decoding of data, one message written")
	f.P("// with m's own schema. Strings and bytes are sliced from one copy of data.")
	f.P("// On error, m is partly overwritten.")
	f.P("func (m *", name, ") UnmarshalAvro(data []byte) error {")
	f.P("r := ", av("NewReader"), "(data)")
	f.P("return r.Done(m.DecodeAvro(&r), ", full, ")")
	f.P("}")
	f.P()
	f.P("// UnmarshalAvroAlias is UnmarshalAvro without the copy: m's strings and")
	f.P("// bytes alias data, which must not be modified while m is in use.")
	f.P("func (m *", name, ") UnmarshalAvroAlias(data []byte) error {")
	f.P("r := ", av("NewAliasReader"), "(data)")
	f.P("return r.Done(m.DecodeAvro(&r), ", full, ")")
	f.P("}")
	f.P()
	f.P("// DecodeAvro decodes m from r. It is what generated code calls for a")
	f.P("// nested record; use UnmarshalAvro.")
	f.P("func (m *", name, ") DecodeAvro(r *", av("Reader"), ") (err error) {")
	if recursive(n) {
		f.P("if err = r.Enter(); err != nil {")
		f.P("return err")
		f.P("}")
		f.P("defer r.Leave()")
	}
	c := &codec{g: g, f: f, ni: ni}
	for i := range n.Fields {
		g.decField(c, ni, i)
	}
	f.P("return nil")
	f.P("}")
	f.P()
}

// decField writes the statements that decode field i of the record from r:
// DecodeAvro's, and DecodeAvroFields' case for the field.
func (g *generator) decField(c *codec, ni *namedInfo, i int) {
	fl := ni.n.Fields[i]
	lv := "m." + ni.fields[i]
	if g.fieldIsPointer(ni.n, fl.Type) {
		c.p(lv, " = new(", g.goType(c.f, fl.Type), ")")
		lv = "*" + lv
	}
	c.dec(fl.Type, lv, c.wrapField(fl.Name))
}

// genFieldDecoder writes the methods of runtime.FieldDecoder, which
// runtime/resolve runs to decode data written with another version of the
// schema field by field, with the code DecodeAvro runs.
func (g *generator) genFieldDecoder(f *GeneratedFile, ni *namedInfo) {
	n := ni.n
	name := ni.ident.Name
	fd := GoIdent{runtimePath, "FieldDecoder"}
	f.P("var _ ", fd, " = (*", name, ")(nil)")
	f.P()
	defaults := g.literalDefaults(f, n)
	nested := nestedFields(n)
	f.P("// DecodeAvroFields decodes the fields of m that fields lists, by their")
	f.P("// index in m's schema, from r in that order, as DecodeAvro does, and")
	f.P("// skips a writer's value for runtime.SkipLongField and the others.")
	if len(defaults) > 0 {
		f.P("// It sets field i to its default for runtime.DefaultField - i.")
	}
	if len(nested) > 0 {
		f.P("// For a nested code that AvroNestedFields lists, it decodes the")
		f.P("// changed record or enum of the field with the ints after the code.")
	}
	f.P("// runtime/resolve calls it to read data written with another version")
	f.P("// of the schema.")
	if len(n.Fields) == 0 {
		f.P("func (*", name, ") DecodeAvroFields([]int, *", av("Reader"), ") error { return nil }")
		f.P()
	} else {
		f.P("func (m *", name, ") DecodeAvroFields(fields []int, r *", av("Reader"), ") (err error) {")
		f.P("for at := 0; at < len(fields); at++ {")
		f.P("switch fields[at] {")
		c := &codec{g: g, f: f, ni: ni}
		for i := range n.Fields {
			f.P("case ", i, ":")
			g.decField(c, ni, i)
			if i+1 < len(n.Fields) {
				// The next field, when it comes next, without the
				// loop's dispatch: a run in the schema's order reads as
				// DecodeAvro does.
				f.P("if !", GoIdent{runtimePath, "Follows"}, "(fields, at, ", i+1, ") {")
				f.P("break")
				f.P("}")
				f.P("at++")
				f.P("fallthrough")
			}
		}
		for _, sk := range runSkips {
			f.P("case ", GoIdent{runtimePath, sk.field}, ":")
			f.P("from := r.Offset()")
			f.P("if err = r.", sk.method, "(); err != nil {")
			f.P("return err")
			f.P("}")
			f.P("r.Cut(from)")
		}
		for _, d := range defaults {
			f.P("case ", GoIdent{runtimePath, "DefaultField"}, " - ", d.i, ":")
			f.P("m.", ni.fields[d.i], " = ", d.expr)
		}
		for _, nf := range nested {
			g.genNestedCase(f, ni, nf)
		}
		f.P("}")
		f.P("}")
		f.P("return nil")
		f.P("}")
		f.P()
	}
	if len(defaults) > 0 {
		var is []string
		for _, d := range defaults {
			is = append(is, strconv.Itoa(d.i))
		}
		f.P("var _ ", GoIdent{runtimePath, "DefaultSetter"}, " = (*", name, ")(nil)")
		f.P()
		f.P("// AvroDefaultFields returns the fields whose defaults DecodeAvroFields")
		f.P("// sets itself, for runtime.DefaultField - i.")
		f.P("func (*", name, ") AvroDefaultFields() []int { return []int{", strings.Join(is, ", "), "} }")
		f.P()
	}
	if len(nested) > 0 {
		var codes []string
		for _, nf := range nested {
			codes = append(codes, f.Qualify(GoIdent{runtimePath, nf.code})+" - "+strconv.Itoa(nf.i))
		}
		f.P("var _ ", GoIdent{runtimePath, "NestedDecoder"}, " = (*", name, ")(nil)")
		f.P()
		f.P("// AvroNestedFields returns the nested codes that DecodeAvroFields takes.")
		f.P("func (*", name, ") AvroNestedFields() []int {")
		f.P("return []int{", strings.Join(codes, ", "), "}")
		f.P("}")
		f.P()
	}
	f.P("// AvroRecordField returns the record that field i of m holds, for")
	f.P("// runtime/resolve to decode field by field: the field's own for a")
	f.P("// record field, a new one that it first stores in the field for a")
	f.P("// field of a record or null; nil for any other field.")
	cases := heldRecords(n)
	if len(cases) == 0 {
		f.P("func (*", name, ") AvroRecordField(int) ", fd, " { return nil }")
		f.P()
		return
	}
	f.P("func (m *", name, ") AvroRecordField(i int) ", fd, " {")
	f.P("switch i {")
	for _, rf := range cases {
		f.P("case ", rf.i, ":")
		x := "m." + ni.fields[rf.i]
		if rf.nullable || g.fieldIsPointer(n, rf.t) {
			f.P(x, " = new(", g.goType(f, rf.t), ")")
			f.P("return ", x)
		} else {
			f.P("return &", x)
		}
	}
	f.P("}")
	f.P("return nil")
	f.P("}")
	f.P()
}

// heldRecord is a field of a record that holds a record that generated
// code decodes itself, by value or as a record or null (nullable): the
// field's index and the record's type.
type heldRecord struct {
	i        int
	nullable bool
	t        *ir.Type
}

// heldRecords returns the fields of record n that hold a record, for
// runtime/resolve to decode field by field or step by step.
func heldRecords(n *ir.Named) []heldRecord {
	var held []heldRecord
	for i, fl := range n.Fields {
		if isRecord(fl.Type) {
			held = append(held, heldRecord{i, false, fl.Type})
		} else if v, _, ok := isNullable(fl.Type); ok && isRecord(v) {
			held = append(held, heldRecord{i, true, v})
		}
	}
	return held
}

// nestedField is a field that DecodeAvroFields decodes with the ints of a
// nested code (runtime.RecordField and the others): a record held by value
// or as a record or null, not recursive, whose run of fields the ints are,
// or an enum, whose symbol mapping they are.
type nestedField struct {
	i    int
	code string // the runtime constant
	t    *ir.Type
}

// nestedFields returns the fields of record n that DecodeAvroFields
// decodes with nested codes. A recursive record keeps its steps, whose
// DecodeAvroSteps counts the nesting.
func nestedFields(n *ir.Named) []nestedField {
	var out []nestedField
	for _, rf := range heldRecords(n) {
		if recursive(rf.t.Named) {
			continue
		}
		code := "RecordField"
		if rf.nullable {
			code = "NullableRecordField"
		}
		out = append(out, nestedField{rf.i, code, rf.t})
	}
	for _, i := range enumFields(n) {
		out = append(out, nestedField{i, "EnumField", n.Fields[i].Type})
	}
	slices.SortFunc(out, func(a, b nestedField) int { return a.i - b.i })
	return out
}

// genNestedCase writes DecodeAvroFields' case for the nested code of field
// nf: the record decoded with the run that the code's ints are, or the
// enum set to the symbol that they map the writer's to.
func (g *generator) genNestedCase(f *GeneratedFile, ni *namedInfo, nf nestedField) {
	rt := func(name string) GoIdent { return GoIdent{runtimePath, name} }
	x := "m." + ni.fields[nf.i]
	name := strconv.Quote(ni.n.Fields[nf.i].Name)
	f.P("case ", rt(nf.code), " - ", nf.i, ":")
	switch nf.code {
	case "EnumField":
		f.P("var symbols []int")
		f.P("symbols, at = ", rt("Nested"), "(fields, at)")
		f.P("var sym int32")
		f.P("if sym, err = ", rt("SymbolIn"), "(symbols, r); err != nil {")
		f.P("return ", av("AtField"), "(err, ", name, ")")
		f.P("}")
		f.P(x, " = ", g.goType(f, nf.t), "(sym)")
		return
	case "NullableRecordField":
		f.P("var run []int")
		f.P("run, at = ", rt("Nested"), "(fields, at)")
		f.P("var ok bool")
		f.P("if ok, run, err = ", rt("PresentIn"), "(run, r); ok {")
		f.P(x, " = new(", g.goType(f, nf.t), ")")
		f.P("err = ", x, ".DecodeAvroFields(run, r)")
		f.P("} else if err == nil {")
		f.P(x, " = nil")
		f.P("}")
		f.P("if err != nil {")
		f.P("return ", av("AtField"), "(err, ", name, ")")
		f.P("}")
	default:
		f.P("var run []int")
		f.P("run, at = ", rt("Nested"), "(fields, at)")
		if g.fieldIsPointer(ni.n, nf.t) {
			f.P(x, " = new(", g.goType(f, nf.t), ")")
		}
		f.P("if err = ", x, ".DecodeAvroFields(run, r); err != nil {")
		f.P("return ", av("AtField"), "(err, ", name, ")")
		f.P("}")
	}
}

// genStepDecoder writes the methods of runtime.StepDecoder, which run
// runtime/resolve's plan for data written with another version of the
// schema: the runs of fields with DecodeAvroFields, the changed records
// that m holds with their own DecodeAvroSteps, each a direct call, and the
// rest with the step's methods, from a Reader on the stack.
func (g *generator) genStepDecoder(f *GeneratedFile, ni *namedInfo) {
	n := ni.n
	name := ni.ident.Name
	step := GoIdent{runtimePath, "Step"}
	rt := func(name string) GoIdent { return GoIdent{runtimePath, name} }
	f.P("var _ ", rt("StepDecoder"), " = (*", name, ")(nil)")
	f.P()
	f.P("// UnmarshalAvroSteps replaces m with the decoding of data as steps say:")
	f.P("// runtime/resolve's plan for data written with another version of m's")
	f.P("// schema.")
	f.P("func (m *", name, ") UnmarshalAvroSteps(steps []", step, ", data []byte) error {")
	f.P("r := ", av("NewReader"), "(data)")
	f.P("r.UseTrim(", rt("TrimOf"), "(steps))")
	if !recursive(n) {
		f.P("if run := ", rt("RunOf"), "(steps); run != nil {")
		f.P("return r.Done(m.DecodeAvroFields(run, &r), ", strconv.Quote(n.FullName()), ")")
		f.P("}")
	}
	f.P("return r.Done(m.DecodeAvroSteps(steps, &r), ", strconv.Quote(n.FullName()), ")")
	f.P("}")
	f.P()
	f.P("// DecodeAvroSteps decodes m from r as steps say.")
	f.P("func (m *", name, ") DecodeAvroSteps(steps []", step, ", r *", av("Reader"), ") (err error) {")
	if recursive(n) {
		f.P("if err = r.Enter(); err != nil {")
		f.P("return err")
		f.P("}")
		f.P("defer r.Leave()")
	}
	f.P("for i := range steps {")
	f.P("s := &steps[i]")
	f.P("switch s.Op {")
	f.P("case ", rt("StepFields"), ":")
	f.P("err = m.DecodeAvroFields(s.Fields, r)")
	f.P("case ", rt("StepChecked"), ":")
	f.P("if err = s.Checked(r); err == nil {")
	f.P("err = m.DecodeAvroFields(s.Fields, r)")
	f.P("}")
	f.P("case ", rt("StepWidens"), ":")
	f.P("src := r.Unread()")
	f.P("if err = m.DecodeAvroFields(s.Fields, r); err == nil {")
	f.P("err = s.Recheck(src[:len(src)-r.Remaining()])")
	f.P("}")
	if enums := enumFields(n); len(enums) > 0 {
		f.P("case ", rt("StepEnum"), ":")
		g.genStepEnum(f, ni, enums)
	}
	f.P("case ", rt("StepValue"), ":")
	f.P("var v ", av("Reader"))
	f.P("v.Reset(s.Bytes, !s.Copy)")
	f.P("err = m.DecodeAvroFields(s.Fields, &v)")
	f.P("case ", rt("StepSkip"), ":")
	f.P("err = s.SkipIn(r)")
	if held := heldRecords(n); len(held) > 0 {
		f.P("case ", rt("StepRecord"), ":")
		g.genStepRecord(f, ni, held)
	}
	f.P("default:")
	f.P("err = ", rt("ErrNoSteps"))
	f.P("}")
	f.P("if err != nil {")
	f.P("return err")
	f.P("}")
	f.P("}")
	f.P("return nil")
	f.P("}")
	f.P()
}

// genStepRecord writes DecodeAvroSteps' StepRecord case: the record of
// field s.Fields[0] decoded with its own steps.
func (g *generator) genStepRecord(f *GeneratedFile, ni *namedInfo, held []heldRecord) {
	f.P("switch s.Fields[0] {")
	for _, rf := range held {
		x := "m." + ni.fields[rf.i]
		f.P("case ", rf.i, ":")
		switch {
		case rf.nullable:
			f.P("var ok bool")
			f.P("if ok, err = s.Present(r); ok {")
			f.P(x, " = new(", g.goType(f, rf.t), ")")
			g.stepRecordCall(f, x, rf.t)
			f.P("} else if err == nil {")
			f.P(x, " = nil")
			f.P("}")
		case g.fieldIsPointer(ni.n, rf.t):
			f.P(x, " = new(", g.goType(f, rf.t), ")")
			g.stepRecordCall(f, x, rf.t)
		default:
			g.stepRecordCall(f, x, rf.t)
		}
	}
	f.P("default:")
	f.P("return ", GoIdent{runtimePath, "ErrNoSteps"})
	f.P("}")
	f.P("if err != nil {")
	f.P("return ", av("AtField"), "(err, s.Name)")
	f.P("}")
}

// enumFields returns the fields of record n that hold an enum.
func enumFields(n *ir.Named) []int {
	var enums []int
	for i, fl := range n.Fields {
		if fl.Type.Kind == ir.Enum && fl.Type.Custom == nil {
			enums = append(enums, i)
		}
	}
	return enums
}

// genStepEnum writes DecodeAvroSteps' StepEnum case: the enum of field
// s.Fields[0] set to the symbol that the step maps the writer's to.
func (g *generator) genStepEnum(f *GeneratedFile, ni *namedInfo, enums []int) {
	f.P("var sym int32")
	f.P("if sym, err = s.SymbolIndex(r); err != nil {")
	f.P("return err")
	f.P("}")
	f.P("switch s.Fields[0] {")
	for _, i := range enums {
		f.P("case ", i, ":")
		f.P("m.", ni.fields[i], " = ", g.goType(f, ni.n.Fields[i].Type), "(sym)")
	}
	f.P("default:")
	f.P("return ", GoIdent{runtimePath, "ErrNoSteps"})
	f.P("}")
}

// stepRecordCall writes the decoding of record x, of type t, with its
// steps: when they are one run of fields, with a direct call of its
// DecodeAvroFields, unless t is recursive, whose DecodeAvroSteps counts the
// nesting.
func (g *generator) stepRecordCall(f *GeneratedFile, x string, t *ir.Type) {
	if recursive(t.Named) {
		f.P("err = ", x, ".DecodeAvroSteps(s.Steps, r)")
		return
	}
	f.P("if run := s.Run(); run != nil {")
	f.P("err = ", x, ".DecodeAvroFields(run, r)")
	f.P("} else {")
	f.P("err = ", x, ".DecodeAvroSteps(s.Steps, r)")
	f.P("}")
}

// runSkips are the indexes of DecodeAvroFields that skip a writer's value
// in a run of fields (runtime.SkipLongField and the others), with the
// avrobin.Reader method that skips it. The skipped bytes are then cut
// (avrobin.Reader.Cut), which a Reader whose copy leaves them out needs.
var runSkips = []struct{ field, method string }{
	{"SkipLongField", "SkipLong"},
	{"SkipBytesField", "SkipBytes"},
	{"SkipOptionalBytesField", "SkipOptionalBytes"},
	{"SkipBytesArrayField", "SkipBytesArray"},
}

// isRecord reports whether t is a record that generated code decodes
// itself, not bound to a custom Go type.
func isRecord(t *ir.Type) bool { return t.Kind == ir.Record && t.Custom == nil }

func (g *generator) genUnion(f *GeneratedFile, u *unionInfo) {
	var names []string
	hasNull := false
	for _, b := range u.branches {
		if b.Name == "" {
			hasNull = true
		} else {
			names = append(names, b.Name)
		}
	}
	list := strings.Join(names, ", ")
	if hasNull {
		list += ", or nil for null"
	}
	f.P("// ", u.ident.Name, " is the union type of ", u.where, " of ", u.owner.n.FullName(), ": one of")
	f.P("// ", list, ".")
	f.P("type ", u.ident.Name, " interface {")
	f.P(u.marker, "()")
	f.P("}")
	f.P()
	for i, b := range u.branches {
		if b.Name == "" {
			continue
		}
		t := u.t.Branches[i]
		f.P("// ", b.Name, " is the ", t.Name(), " branch of ", u.ident.Name, ".")
		f.P("type ", b.Name, " struct {")
		f.P("Value ", g.goType(f, t))
		f.P("}")
		f.P()
		f.P("func (", b.Name, ") ", u.marker, "() {}")
		f.P()
	}
}

func (g *generator) genEnum(f *GeneratedFile, ni *namedInfo) {
	n := ni.n
	name := ni.ident.Name
	typeDoc(f, name, fmt.Sprintf("is the Avro enum %s.", n.FullName()), n.Doc, n.Deprecated, n.DeprecatedReason)
	f.P("type ", name, " int32")
	f.P()
	f.P("// The symbols of ", n.FullName(), ".")
	f.P("const (")
	for i, s := range n.Symbols {
		f.P("// ", ni.symbols[i], " is the symbol ", strconv.Quote(s.Name), ".")
		if s.Doc != "" {
			f.P("//")
			doc(f, s.Doc)
		}
		deprecatedDoc(f, s.Deprecated, s.DeprecatedReason)
		f.P(ni.symbols[i], " ", name, " = ", i)
	}
	f.P(")")
	f.P()
	f.P("var ", ni.names, " = [...]string{", quoteAll(symbolNames(n)), "}")
	f.P()
	f.P("// String returns the symbol of e, or ", name, "(n) for a value that is none.")
	f.P("func (e ", name, ") String() string {")
	f.P("if uint32(e) < uint32(len(", ni.names, ")) {")
	f.P("return ", ni.names, "[e]")
	f.P("}")
	f.P("return ", strconv.Quote(name+"("), " + ", GoIdent{"strconv", "Itoa"}, "(int(e)) + \")\"")
	f.P("}")
	f.P()
	f.P("// MarshalText returns the symbol of e.")
	f.P("func (e ", name, ") MarshalText() ([]byte, error) {")
	f.P("if uint32(e) < uint32(len(", ni.names, ")) {")
	f.P("return []byte(", ni.names, "[e]), nil")
	f.P("}")
	f.P("return nil, ", av("Invalidf"), "(", strconv.Quote("enum value %d is not a symbol of "+n.FullName()), ", int32(e))")
	f.P("}")
	f.P()
	f.P("// UnmarshalText sets e to the symbol in b.")
	f.P("func (e *", name, ") UnmarshalText(b []byte) error {")
	f.P("for i, s := range ", ni.names, " {")
	f.P("if s == string(b) {")
	f.P("*e = ", name, "(i)")
	f.P("return nil")
	f.P("}")
	f.P("}")
	f.P("return ", GoIdent{"fmt", "Errorf"}, "(", strconv.Quote("evc: %q is not a symbol of "+n.FullName()), ", b)")
	f.P("}")
	f.P()
}

func symbolNames(n *ir.Named) []string {
	var out []string
	for _, s := range n.Symbols {
		out = append(out, s.Name)
	}
	return out
}

func (g *generator) genFixed(f *GeneratedFile, ni *namedInfo) {
	n := ni.n
	name := ni.ident.Name
	what := fmt.Sprintf("is the Avro fixed %s, of %d bytes", n.FullName(), n.Size)
	if n.Logical != ir.NoLogical {
		what += fmt.Sprintf(" (logical type %s", n.Logical)
		if n.Logical == ir.Decimal {
			what += fmt.Sprintf("; fields of this type are *big.Rat values with scale %d", n.Scale)
		}
		what += ")"
	}
	typeDoc(f, name, what+".", n.Doc, n.Deprecated, n.DeprecatedReason)
	f.P("type ", name, " [", n.Size, "]byte")
	f.P()
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// goString writes s as a Go string literal, raw when it can be.
func goString(s string) string {
	if !strings.ContainsAny(s, "`\r") && strconv.CanBackquote(s) {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}
