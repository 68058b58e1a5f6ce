package compiler

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

// incrementalWorkspace is a workspace whose files use each other's types:
// custom types with properties, enums, fixed, record defaults that reach
// into other files, optional and union types, @name, topics, an .avsc
// import, a record that can never hold a value.
var incrementalWorkspace = map[string]string{
	"common.evc": `/// Common types.
namespace shop;

/// An amount in cents.
@go("example.com/money.Cents")
type Cents = @unit("cent") long;

enum Currency { EUR, USD, GBP } default EUR;

fixed Hash(16);

/// Money.
record Money {
  amount: Cents = 0;
  currency: Currency = EUR;
}
`,
	"customer.evc": `namespace shop.customer;

import "common.evc";

record Address {
  street: string;
  city: string = "";
}

/// A customer.
@name("customer")
record Customer {
  id: string;
  address: Address = {"street": "x"};
  balance: shop.Money = {"amount": 1};
  tags: array<string> = [];
  userId: string = "";
  user_id: string = "";
}

topic "customers" { key: string; value: Customer; }
`,
	"order.evc": `namespace shop.order;

import "common.evc";
import "customer.evc";

record Line {
  sku: string;
  price: shop.Money = {};
  qty: int = 1;
}

record Order {
  id: string;
  customer: shop.customer.customer;
  lines: array<Line> = [];
  total: Money?;
  hash: Hash?;
  status: Status = NEW;
  either: union<string, Line> = "none";
  tip: Cents = 0;
  @aliases("old_note")
  note: @x("y") Cents?;
  reserved legacy;
}

enum Status { NEW, PAID, SHIPPED }

topic "orders" { key: string; value: Order; }
`,
	"misc.evc": `namespace other;

record Lone {
  a: int;
  b: Lone?;
}

record Node {
  next: Node;
}
`,
	"report.evc": `namespace shop.report;

import "customer.evc";

/// Its default reaches Money through customer.evc, without importing
/// common.evc.
record Report {
  c: shop.customer.customer = {"id": "r", "balance": {"amount": 5, "currency": "GBP"}};
}
`,
	"ext.avsc": `{"type": "record", "name": "Ext", "namespace": "shop.ext", "fields": [{"name": "x", "type": "int"}]}`,
	"uses_ext.evc": `namespace shop.ext2;

import "ext.avsc";
import "common.evc";

record UsesExt {
  e: shop.ext.Ext;
  m: shop.Money = {"amount": 2, "currency": "USD"};
}
`,
}

var (
	typeDecl  = regexp.MustCompile(`(?m)^(?:record|enum|fixed|type) (\w+)`)
	fieldLine = regexp.MustCompile(`(?m)^  \w+: [^\n]*;\n`)
	recordTop = regexp.MustCompile(`(?m)^record \w+ \{\n`)
	docLine   = regexp.MustCompile(`(?m)^/// [^\n]*\n`)
)

// edit changes the workspace at random, as someone typing would: renames
// (of a declaration alone, or with its uses), fields removed and added,
// broken syntax, imports added, files deleted, added and restored, types
// and topics defined twice, lines added above everything.
func edit(r *rand.Rand, files map[string]string, step int) string {
	var names []string
	for n := range files {
		if strings.HasSuffix(n, ".evc") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		files["common.evc"] = incrementalWorkspace["common.evc"]
		return "restore common.evc"
	}
	name := names[r.IntN(len(names))]
	text := files[name]
	if r.IntN(12) == 0 { // the .avsc file: another field, broken, or gone
		switch r.IntN(3) {
		case 0:
			files["ext.avsc"] = strings.Replace(incrementalWorkspace["ext.avsc"], `"int"}`, fmt.Sprintf(`"int"}, {"name": "y%d", "type": "string"}`, step), 1)
		case 1:
			files["ext.avsc"] = `{"type": "record", "name": "Ext", "fields": [`
		default:
			delete(files, "ext.avsc")
		}
		return "edit ext.avsc"
	}
	if r.IntN(12) == 0 { // enum symbols, which defaults elsewhere name
		files[name] = strings.Replace(text, "EUR, USD", "EUR, USX", 1)
		return "rename the symbol USD in " + name
	}
	switch op := r.IntN(14); op {
	case 0, 1: // rename a type, in its file or everywhere
		m := typeDecl.FindAllStringSubmatch(text, -1)
		if len(m) == 0 {
			return "nothing to rename in " + name
		}
		old := m[r.IntN(len(m))][1]
		re := regexp.MustCompile(`\b` + old + `\b`)
		if op == 0 {
			files[name] = re.ReplaceAllString(text, old+"X")
			return "rename " + old + " in " + name
		}
		for n, t := range files {
			if strings.HasSuffix(n, ".evc") {
				files[n] = re.ReplaceAllString(t, old+"Y")
			}
		}
		return "rename " + old + " everywhere"
	case 2: // remove a field
		loc := fieldLine.FindAllStringIndex(text, -1)
		if len(loc) == 0 {
			return "no field in " + name
		}
		l := loc[r.IntN(len(loc))]
		files[name] = text[:l[0]] + text[l[1]:]
		return "remove a field of " + name
	case 3: // break the syntax
		at := r.IntN(len(text) + 1)
		junk := []string{"record {", "@@", ": ;", "}", "union<", "\"", "import \"nope.evc\";\n"}[r.IntN(7)]
		files[name] = text[:at] + junk + text[at:]
		return fmt.Sprintf("insert %q into %s", junk, name)
	case 4: // import another file
		other := names[r.IntN(len(names))]
		if r.IntN(3) == 0 {
			other = "ext.avsc"
		}
		i := strings.Index(text, ";\n")
		if i < 0 {
			return "no namespace in " + name
		}
		files[name] = text[:i+2] + fmt.Sprintf("import %q;\n", other) + text[i+2:]
		return "import " + other + " in " + name
	case 5: // delete a file
		if len(names) < 3 {
			return "keep " + name
		}
		delete(files, name)
		return "delete " + name
	case 6: // restore a file as it was at first
		n := names[r.IntN(len(names))]
		if r.IntN(2) == 0 {
			for k := range incrementalWorkspace {
				if _, ok := files[k]; !ok {
					n = k
				}
			}
		}
		files[n] = incrementalWorkspace[n]
		return "restore " + n
	case 7: // add a field to a type others use
		loc := recordTop.FindAllStringIndex(text, -1)
		if len(loc) == 0 {
			return "no record in " + name
		}
		l := loc[r.IntN(len(loc))]
		field := []string{"int = 1", "string", "shop.Money = {}", "Currency = USD", "Hash?", "Missing", "array<Line> = [{}]", "Cents? = null"}[r.IntN(8)]
		files[name] = text[:l[1]] + fmt.Sprintf("  extra%d: %s;\n", step, field) + text[l[1]:]
		return "add field " + field + " to " + name
	case 8: // lines above everything: every position moves
		files[name] = "\n\n" + text
		return "move " + name + " down"
	case 9: // change a doc comment
		loc := docLine.FindAllStringIndex(text, -1)
		if len(loc) == 0 {
			files[name] = "/// Now documented.\n" + text
			return "document " + name
		}
		l := loc[r.IntN(len(loc))]
		files[name] = text[:l[0]] + fmt.Sprintf("/// Doc %d.\n", step) + text[l[1]:]
		return "edit a doc in " + name
	case 10: // define a type twice
		files[name] = text + "\nrecord Money { a: int; }\n"
		return "define Money in " + name
	case 11: // declare a topic twice
		if r.IntN(2) == 0 {
			files[name] = strings.Replace(text, "value: Order;", "value: Order; value: Line;", 1)
			return "another value type for orders in " + name
		}
		files[name] = text + "\ntopic \"orders\" { value: string; }\n"
		return "declare orders in " + name
	case 12: // a new file that uses others
		n := fmt.Sprintf("new%d.evc", step)
		files[n] = fmt.Sprintf("namespace shop.n%d;\nimport %q;\nrecord New%d { m: shop.Money = {\"amount\": %d}; c: Currency; }\n", step, names[r.IntN(len(names))], step, step)
		return "add " + n
	default: // change the namespace
		files[name] = strings.Replace(text, "namespace ", "namespace x", 1)
		return "change the namespace of " + name
	}
}

// TestCache_IncrementalIsFull: after every step of random edits, a
// compilation that reuses the cache's compiled files gives the diagnostics
// and IR of a compilation from scratch.
func TestCache_IncrementalIsFull(t *testing.T) {
	reused, relinked := 0, 0
	for seed := uint64(1); seed <= 12; seed++ {
		r := rand.New(rand.NewPCG(seed, 0))
		files := map[string]string{}
		for n, s := range incrementalWorkspace {
			files[n] = s
		}
		cache := NewCache()
		var log []string
		for step := 0; step < 60; step++ {
			if step > 0 {
				log = append(log, edit(r, files, step))
			}
			fsys := fstest.MapFS{}
			for n, s := range files {
				fsys["ws/"+n] = &fstest.MapFile{Data: []byte(s)}
			}
			subjects := seed%3 == 0 // warn about topics with several value types
			full := Compile([]string{"ws"}, Options{FS: fsys, TopicNameSubjects: subjects})
			inc := Compile([]string{"ws"}, Options{FS: fsys, Cache: cache, TopicNameSubjects: subjects})
			reused += cache.stats.reused
			relinked += cache.stats.relinked
			if msg := sameResult(full, inc); msg != "" {
				t.Fatalf("seed %d, after:\n  %s\n%s", seed, strings.Join(log, "\n  "), msg)
			}
			for p := range cache.parsed {
				if _, ok := files[strings.TrimPrefix(p, "ws/")]; !ok {
					t.Fatalf("seed %d, step %d: the cache keeps the parse of %s, which is gone", seed, step, p)
				}
			}
		}
	}
	// The test means something only if files were reused, and linked to
	// files compiled again.
	t.Logf("reused %d, relinked %d", reused, relinked)
	if reused < 1000 || relinked < 100 {
		t.Errorf("reused %d files, relinked %d: too few", reused, relinked)
	}
}

// sameResult says how two results differ, "" when they do not.
func sameResult(full, inc *Result) string {
	if !reflect.DeepEqual(full.Diags.Items(), inc.Diags.Items()) {
		var b strings.Builder
		b.WriteString("diagnostics differ:\nfull:\n")
		for _, d := range full.Diags.Items() {
			fmt.Fprintf(&b, "  %s %+v\n", d.Error(), d)
		}
		b.WriteString("incremental:\n")
		for _, d := range inc.Diags.Items() {
			fmt.Fprintf(&b, "  %s %+v\n", d.Error(), d)
		}
		return b.String()
	}
	if a, b := dumpSchema(full.Schema), dumpSchema(inc.Schema); a != b {
		return "IR dumps differ:\nfull:\n" + a + "\nincremental:\n" + b
	}
	if !reflect.DeepEqual(full.Schema, inc.Schema) {
		return "IR differs (reflect.DeepEqual), the dumps do not show where:\n" + dumpSchema(full.Schema)
	}
	if !reflect.DeepEqual(full.Sources, inc.Sources) {
		return "sources differ"
	}
	return ""
}

// TestCache_FallsBack: a file that did not change, whose name finds another
// declaration because of a change elsewhere (here a third definition of a
// type defined twice makes a name ambiguous), is not reused: the
// compilation starts again without reuse, and gives what a full one does.
func TestCache_FallsBack(t *testing.T) {
	files := fstest.MapFS{
		"ws/a.evc": {Data: []byte("namespace n;\nimport \"b.evc\";\nrecord X { f: int; }\nrecord A { x: X; }\n")},
		"ws/b.evc": {Data: []byte("namespace n;\nrecord X { g: string; }\n")},
	}
	cache := NewCache()
	Compile([]string{"ws"}, Options{FS: files, Cache: cache})
	files["ws/0.evc"] = &fstest.MapFile{Data: []byte("namespace n;\nrecord X { h: long; }\n")}
	inc := Compile([]string{"ws"}, Options{FS: files, Cache: cache})
	if !cache.stats.fellBack {
		t.Error("the compilation did not start again")
	}
	if msg := sameResult(Compile([]string{"ws"}, Options{FS: files}), inc); msg != "" {
		t.Error(msg)
	}
	var ambiguous bool
	for _, d := range inc.Diags.Items() {
		ambiguous = ambiguous || strings.Contains(d.Message, `type name "X" is ambiguous`)
	}
	if !ambiguous {
		t.Errorf("X is not ambiguous: %v", inc.Diags.Items())
	}
}

// TestCache_CollidedNames: when a type is defined twice, which definition a
// name finds depends on files it does not see. Here c.evc sees two n.X; a
// third, in a.evc, makes its X ambiguous. c.evc is compiled again (its
// comment changed) while d.evc, whose default reaches X through c.evc's Y,
// would be reused: the compilation must start again without reuse.
func TestCache_CollidedNames(t *testing.T) {
	files := fstest.MapFS{
		"ws/b.evc": {Data: []byte("namespace n;\nrecord X { f: int; }\n")},
		"ws/c.evc": {Data: []byte("namespace n;\nimport \"b.evc\";\nimport \"e.evc\";\nrecord Y { x: X; }\n")},
		"ws/d.evc": {Data: []byte("namespace m;\nimport \"c.evc\";\nrecord D { y: n.Y = {\"x\": {\"f\": 1}}; }\n")},
		"ws/e.evc": {Data: []byte("namespace n;\nrecord X { g: string; }\n")},
	}
	cache := NewCache()
	Compile([]string{"ws"}, Options{FS: files, Cache: cache})
	files["ws/a.evc"] = &fstest.MapFile{Data: []byte("namespace n;\nrecord X { h: long; }\n")}
	files["ws/c.evc"] = &fstest.MapFile{Data: []byte("// changed\nnamespace n;\nimport \"b.evc\";\nimport \"e.evc\";\nrecord Y { x: X; }\n")}
	inc := Compile([]string{"ws"}, Options{FS: files, Cache: cache})
	if !cache.stats.fellBack {
		t.Error("the compilation did not start again")
	}
	if msg := sameResult(Compile([]string{"ws"}, Options{FS: files}), inc); msg != "" {
		t.Error(msg)
	}
}

// FuzzCache compiles two versions of a workspace of two files, main.evc
// (which may import other.evc) and other.evc, in turn with one cache, and
// checks that each compilation gives what a full one gives. Minimizing its
// four inputs takes minutes: fuzz it with -fuzzminimizetime 0 (240,000
// runs in 150 s found nothing).
func FuzzCache(f *testing.F) {
	other := incrementalWorkspace["common.evc"]
	main := "namespace m;\nimport \"other.evc\";\nrecord R { m: shop.Money = {\"amount\": 1}; c: shop.Currency = USD; }\n"
	f.Add([]byte(main), []byte(other), []byte(main), []byte(strings.Replace(other, "EUR, USD", "EUR, USX", 1)))
	f.Add([]byte(main), []byte(other), []byte("// edited\n"+main), []byte(other))
	f.Add([]byte(main), []byte(other), []byte(main), []byte("\n"+other))
	for i, s := range fuzzSeeds {
		next := fuzzSeeds[(i+1)%len(fuzzSeeds)]
		f.Add([]byte(s), []byte(other), []byte(next), []byte(s))
	}
	f.Fuzz(func(t *testing.T, main1, other1, main2, other2 []byte) {
		cache := NewCache()
		for i, v := range [][2][]byte{{main1, other1}, {main2, other2}, {main1, other2}, {main2, other1}} {
			fsys := fstest.MapFS{"ws/main.evc": {Data: v[0]}, "ws/other.evc": {Data: v[1]}}
			full := Compile([]string{"ws"}, Options{FS: fsys})
			inc := Compile([]string{"ws"}, Options{FS: fsys, Cache: cache})
			if msg := sameResult(full, inc); msg != "" {
				t.Fatalf("version %d:\n%s", i, msg)
			}
		}
	})
}
